import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * WeChat's side of an Official Account, on 127.0.0.1, written from WeChat's documentation and
 * independent of the bot's code: it POSTs signed, AES-encrypted XML callbacks to the bot (waiting
 * 5 s for an answer, then retrying with the same MsgId, three tries in all, as WeChat does), and
 * serves the HTTP API the bot calls (stable_token, message/custom/send, message/subscribe/bizsend,
 * menu/create), refusing what WeChat refuses: texts over 2,048 bytes, unknown tokens, notifications
 * to users who did not accept the template.
 */
export const APP_ID = 'wx0123456789abcdef';
export const APP_SECRET = '0123456789abcdef0123456789abcdef';
export const TOKEN = 'emulatorToken42';
export const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const ACCOUNT = 'gh_emulated0001';

export interface Received {
  via: 'passive' | 'custom' | 'menu' | 'subscribe';
  text: string;
  /** menu items or notification fields */
  items?: string[];
  bytes: number;
}

export interface CallbackResult {
  /** the passive reply's text, or undefined for an empty reply ("success") */
  passive?: string;
  status: number;
  tries: number;
  ms: number;
}

const sha1 = (...parts: string[]): string => createHash('sha1').update([...parts].sort().join('')).digest('hex');
const key = Buffer.from(`${AES_KEY}=`, 'base64');

function encrypt(xml: string): string {
  const body = Buffer.from(xml);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  const plain = Buffer.concat([randomBytes(16), len, body, Buffer.from(APP_ID)]);
  const pad = 32 - (plain.length % 32);
  const c = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([c.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), c.final()]).toString('base64');
}

function decrypt(b64: string): string {
  const d = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  const plain = Buffer.concat([d.update(Buffer.from(b64, 'base64')), d.final()]);
  const pad = plain[plain.length - 1] ?? 0;
  const content = plain.subarray(16, plain.length - pad);
  const n = content.readUInt32BE(0);
  if (content.subarray(4 + n).toString() !== APP_ID) throw new Error('reply encrypted for another AppID');
  return content.subarray(4, 4 + n).toString();
}

const tag = (xml: string, name: string): string | undefined => {
  const m = new RegExp(`<${name}>(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))</${name}>`).exec(xml);
  return m ? (m[1] ?? m[2]) : undefined;
};

export async function startOaEmulator() {
  const inbox = new Map<string, Received[]>();
  const accepted = new Map<string, Set<string>>();
  const calls: string[] = [];
  let tokenSeq = 0;
  let validToken = '';
  let msgSeq = 1_000_000;
  let botUrl = '';
  let failNextCustom = 0;
  let failAfter = 0;

  const record = (openId: string, r: Received): void => {
    inbox.set(openId, [...(inbox.get(openId) ?? []), r]);
  };

  const api: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      calls.push(url.pathname);
      const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>) : {};
      const json = (o: unknown): void => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(o));
      };
      if (url.pathname === '/cgi-bin/stable_token') {
        if (body['appid'] !== APP_ID || body['secret'] !== APP_SECRET) return json({ errcode: 40125, errmsg: 'invalid appsecret' });
        validToken = `token-${++tokenSeq}`;
        return json({ access_token: validToken, expires_in: 7200 });
      }
      if (url.searchParams.get('access_token') !== validToken) return json({ errcode: 40001, errmsg: 'invalid credential' });
      const to = String(body['touser'] ?? '');
      if (url.pathname === '/cgi-bin/message/custom/send') {
        if (failNextCustom > 0 && failAfter-- <= 0) {
          failNextCustom--;
          res.writeHead(502);
          return res.end('bad gateway');
        }
        if (body['msgtype'] === 'text') {
          const text = String((body['text'] as { content?: string }).content ?? '');
          const bytes = Buffer.byteLength(text);
          if (bytes > 2048) return json({ errcode: 45002, errmsg: 'content size out of limit' });
          record(to, { via: 'custom', text, bytes });
          return json({ errcode: 0, errmsg: 'ok' });
        }
        if (body['msgtype'] === 'msgmenu') {
          const m = body['msgmenu'] as { head_content: string; list: Array<{ id: string; content: string }>; tail_content: string };
          const text = `${m.head_content}${m.tail_content}`;
          record(to, { via: 'menu', text: m.head_content, items: m.list.map((i) => `${i.id}:${i.content}`), bytes: Buffer.byteLength(text + m.list.map((i) => i.content).join('')) });
          return json({ errcode: 0, errmsg: 'ok' });
        }
        return json({ errcode: 40008, errmsg: 'invalid message type' });
      }
      if (url.pathname === '/cgi-bin/message/subscribe/bizsend') {
        const template = String(body['template_id'] ?? '');
        if (!accepted.get(to)?.has(template)) return json({ errcode: 43101, errmsg: 'user refuse to accept the msg' });
        const data = body['data'] as Record<string, { value: string }>;
        for (const [k, v] of Object.entries(data)) if (k.startsWith('thing') && [...v.value].length > 20) return json({ errcode: 47003, errmsg: `argument invalid! data.${k}.value` });
        record(to, { via: 'subscribe', text: template, items: Object.entries(data).map(([k, v]) => `${k}=${v.value}`), bytes: 0 });
        return json({ errcode: 0, errmsg: 'ok' });
      }
      if (url.pathname === '/cgi-bin/menu/create') return json({ errcode: 0, errmsg: 'ok' });
      json({ errcode: 48001, errmsg: 'api unauthorized' });
    });
  });
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', () => r()));
  const apiBase = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;

  /** one POST as WeChat sends it; resolves with the status and body, or undefined after 5 s */
  const post = async (innerXml: string, options: { badSignature?: boolean } = {}): Promise<{ status: number; body: string } | undefined> => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(6).toString('hex');
    const enc = encrypt(innerXml);
    const msgSignature = options.badSignature ? sha1(TOKEN, timestamp, nonce, `${enc}x`) : sha1(TOKEN, timestamp, nonce, enc);
    const query = new URLSearchParams({ signature: sha1(TOKEN, timestamp, nonce), timestamp, nonce, openid: tag(innerXml, 'FromUserName') ?? '', encrypt_type: 'aes', msg_signature: msgSignature });
    try {
      const r = await fetch(`${botUrl}?${query}`, { method: 'POST', body: `<xml><ToUserName><![CDATA[${ACCOUNT}]]></ToUserName><Encrypt><![CDATA[${enc}]]></Encrypt></xml>`, signal: AbortSignal.timeout(5000) });
      return { status: r.status, body: await r.text() };
    } catch {
      return undefined;
    }
  };

  const passiveText = (body: string): string | undefined => {
    if (!body || body === 'success') return undefined;
    const encrypted = tag(body, 'Encrypt');
    if (!encrypted) throw new Error(`passive reply not encrypted: ${body.slice(0, 80)}`);
    const [ts, nonce, sig] = [tag(body, 'TimeStamp') ?? '', tag(body, 'Nonce') ?? '', tag(body, 'MsgSignature') ?? ''];
    if (sha1(TOKEN, ts, nonce, encrypted) !== sig) throw new Error('passive reply signature wrong');
    const inner = decrypt(encrypted);
    if (tag(inner, 'MsgType') !== 'text') throw new Error('passive reply not text');
    return tag(inner, 'Content');
  };

  /** a callback with WeChat's retries: up to three tries 5 s apart while the bot does not answer */
  const callback = async (innerXml: string, options: { tries?: number; badSignature?: boolean } = {}): Promise<CallbackResult> => {
    const started = Date.now();
    for (let tries = 1; tries <= (options.tries ?? 3); tries++) {
      const r = await post(innerXml, options);
      if (!r) continue;
      const passive = r.status === 200 ? passiveText(r.body) : undefined;
      if (passive !== undefined) record(tag(innerXml, 'FromUserName') ?? '', { via: 'passive', text: passive, bytes: Buffer.byteLength(passive) });
      return { ...(passive === undefined ? {} : { passive }), status: r.status, tries, ms: Date.now() - started };
    }
    return { status: 0, tries: options.tries ?? 3, ms: Date.now() - started };
  };

  /** a callback in plaintext mode (明文模式): signature only, the XML as it is */
  const plainCallback = async (innerXml: string): Promise<{ status: number; body: string }> => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(6).toString('hex');
    const r = await fetch(`${botUrl}?${new URLSearchParams({ signature: sha1(TOKEN, timestamp, nonce), timestamp, nonce, openid: tag(innerXml, 'FromUserName') ?? '' })}`, { method: 'POST', body: innerXml, signal: AbortSignal.timeout(5000) });
    return { status: r.status, body: await r.text() };
  };

  const xml = (openId: string, fields: string): string => `<xml><ToUserName><![CDATA[${ACCOUNT}]]></ToUserName><FromUserName><![CDATA[${openId}]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime>${fields}</xml>`;

  return {
    apiBase,
    calls,
    connect(url: string) {
      botUrl = url;
    },
    /** what the user has seen, in order */
    received: (openId: string): Received[] => inbox.get(openId) ?? [],
    /** the API answers 502 to `n` customer-service sends, after letting `after` through */
    failCustomSends(n: number, after = 0) {
      failNextCustom = n;
      failAfter = after;
    },
    textXml: (openId: string, text: string, msgId = String(++msgSeq)): string => xml(openId, `<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${text}]]></Content><MsgId>${msgId}</MsgId>`),
    menuClickXml: (openId: string, item: string, content: string): string => xml(openId, `<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${++msgSeq}</MsgId><bizmsgmenuid>${item}</bizmsgmenuid>`),
    eventXml: (openId: string, event: string, extra = ''): string => xml(openId, `<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[${event}]]></Event>${extra}`),
    /** the user accepts a subscription template in WeChat's popup (and WeChat tells the bot) */
    async acceptSubscription(openId: string, templateId: string): Promise<CallbackResult> {
      accepted.set(openId, new Set([...(accepted.get(openId) ?? []), templateId]));
      const list = `<SubscribeMsgPopupEvent><List><TemplateId><![CDATA[${templateId}]]></TemplateId><SubscribeStatusString><![CDATA[accept]]></SubscribeStatusString><PopupScene>2</PopupScene></List></SubscribeMsgPopupEvent>`;
      return callback(xml(openId, `<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe_msg_popup_event]]></Event>${list}`));
    },
    callback,
    plainCallback,
    /** WeChat's URL verification (GET with echostr) */
    async verifyUrl(echostr: string, badSignature = false): Promise<{ status: number; body: string }> {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const nonce = 'n0nce';
      const signature = badSignature ? sha1(TOKEN, timestamp, 'other') : sha1(TOKEN, timestamp, nonce);
      const r = await fetch(`${botUrl}?${new URLSearchParams({ signature, timestamp, nonce, echostr })}`);
      return { status: r.status, body: await r.text() };
    },
    async stop() {
      await new Promise<void>((r) => api.close(() => r()));
    },
  };
}
