import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * WeChat's message signatures and safe-mode (AES) envelope, as its 消息加解密 documentation
 * specifies (WXBizMsgCrypt): the signature is sha1 of the sorted strings joined; the AES key is
 * the 43-character EncodingAESKey + "=" decoded (32 bytes), the IV its first 16 bytes; the
 * plaintext is 16 random bytes, the message length (4 bytes, network order), the message and
 * the AppID, PKCS#7-padded to a multiple of 32 bytes.
 */
export function sha1Signature(...parts: string[]): string {
  return createHash('sha1').update([...parts].sort().join('')).digest('hex');
}

/** Constant-time comparison of two hex signatures. */
export function signatureMatches(expected: string, given: string | undefined): boolean {
  if (!given || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(given));
}

const BLOCK = 32;

export class WechatCipher {
  private readonly key: Buffer;

  constructor(
    encodingAesKey: string,
    private readonly appId: string,
  ) {
    this.key = Buffer.from(`${encodingAesKey}=`, 'base64');
    if (this.key.length !== 32) throw new Error('EncodingAESKey must be 43 characters of base64');
  }

  encrypt(message: string, random: Buffer = randomBytes(16)): string {
    const body = Buffer.from(message, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length, 0);
    const plain = Buffer.concat([random, length, body, Buffer.from(this.appId, 'utf8')]);
    const pad = BLOCK - (plain.length % BLOCK);
    const cipher = createCipheriv('aes-256-cbc', this.key, this.key.subarray(0, 16));
    cipher.setAutoPadding(false);
    return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
  }

  /** @throws Error when the text is not ours (bad padding, length or AppID) */
  decrypt(encrypted: string): string {
    const decipher = createDecipheriv('aes-256-cbc', this.key, this.key.subarray(0, 16));
    decipher.setAutoPadding(false);
    const plain = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]);
    const pad = plain[plain.length - 1] ?? 0;
    if (pad < 1 || pad > BLOCK || pad > plain.length) throw new Error('bad padding');
    const content = plain.subarray(16, plain.length - pad);
    if (content.length < 4) throw new Error('too short');
    const length = content.readUInt32BE(0);
    if (4 + length > content.length) throw new Error('bad length');
    const appId = content.subarray(4 + length).toString('utf8');
    if (appId !== this.appId) throw new Error('message for another AppID');
    return content.subarray(4, 4 + length).toString('utf8');
  }
}
