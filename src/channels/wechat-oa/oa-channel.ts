import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage as HttpRequest, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import type { OfficialAccountConfig } from '../../config/config.js';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { DeliveryError, type ConsentStore, type Gateway } from '../../core/pipeline-ports.js';
import { renderChoicesAsText, type Clock, type Delivery, type DeliveryProgress, type DeliveryTarget, type Reply } from '../../core/ports.js';
import { fill } from '../../core/text.js';
import type { ChannelTexts } from '../channel-texts.js';
import { splitMessage, utf8Bytes } from '../split-message.js';
import { DownloadLinks } from './download-links.js';
import { deliveryErrorOf, OaApi, OaApiError, type MenuButton } from './oa-api.js';
import { sha1Signature, signatureMatches, WechatCipher } from './oa-crypto.js';
import { inboundAction } from './oa-inbound.js';
import { noticeData } from './oa-notice.js';
import { encryptedReplyXml, inboundSchema, parseXml, textReplyXml } from './oa-xml.js';

/** WeChat cuts text messages (passive and customer-service) at 2,048 bytes. */
export const OA_MESSAGE_BYTES = 2048;
const MAX_BODY_BYTES = 64 * 1024;
/** 43101: the user refused (or used up) the subscription */
const SUBSCRIPTION_REFUSED = 43101;

export interface OaChannelDeps {
  config: OfficialAccountConfig;
  gateway: Gateway;
  consents: ConsentStore;
  texts: ChannelTexts;
  logger: Logger;
  dataDir: string;
  clock: Clock;
  /** what GET /healthz reports (the app's health: database, index, channels) */
  health?: () => Promise<{ ok: boolean }>;
}

export interface OaChannel {
  delivery: Delivery;
  /** the address the HTTP server listens on (port 0 in config: chosen by the system) */
  address(): { host: string; port: number };
  /** the callback server is up */
  listening(): boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** An open callback request waiting for its answer (WeChat waits 5 s, then retries). */
interface Waiter {
  respond(content: string): Promise<boolean>;
  /** answers empty ("success"): the replies will go as customer-service messages */
  expire(): void;
}

/**
 * The WeChat Official Account (服务号) over its server callback, as WeChat specifies it: URL
 * verification and signatures, safe mode (AES), MsgId de-duplication through the inbox, a passive
 * reply when the answer is ready within `replyWithinMs` (4.5 s), otherwise an empty reply and the
 * answer as customer-service messages. Long answers are split under 2,048 bytes at sentence ends;
 * choices are numbered (passive) or a menu message (customer service); files are published as
 * short-lived signed links on this server; nudges go as subscription notifications where the user
 * consented, otherwise they wait for the user's next message.
 */
export function createOaChannel(deps: OaChannelDeps): OaChannel {
  const { config, logger, clock } = deps;
  const api = new OaApi({ appId: config.appId, appSecret: config.appSecret, baseUrl: config.apiBase, now: () => clock.now().getTime() });
  const cipher = config.encodingAesKey ? new WechatCipher(config.encodingAesKey, config.appId) : undefined;
  const links = new DownloadLinks({ dir: path.join(deps.dataDir, 'downloads'), secret: config.linkSecret, baseUrl: config.publicBaseUrl, ttlMs: config.linkTtlMinutes * 60_000 });
  const waiters = new Map<string, Waiter[]>();
  let server: Server | undefined;
  let sweeper: NodeJS.Timeout | undefined;

  const takeWaiter = (openId: string): Waiter | undefined => waiters.get(openId)?.[0];

  const customText = async (openId: string, content: string): Promise<void> => {
    await api.sendCustom(openId, { msgtype: 'text', text: { content } }).catch((e: unknown) => {
      throw deliveryErrorOf(e);
    });
  };

  /** A reply as WeChat messages: text parts, and the last part with the choices when there are any. */
  const partsOf = (reply: Reply): { texts: string[]; menu?: Reply } => {
    const t = deps.texts[reply.lang ?? 'zh'];
    // the caption stays; the file itself becomes its link
    const link = reply.file ? fill(t.file_link, { name: reply.file.name, minutes: config.linkTtlMinutes, url: links.publish(reply.file, clock.now()) }) : undefined;
    const text = [reply.text, link].filter(Boolean).join('\n');
    if (!reply.choices?.length) return { texts: splitMessage(renderChoicesAsText({ ...reply, text }), OA_MESSAGE_BYTES, utf8Bytes) };
    const room = OA_MESSAGE_BYTES - utf8Bytes(renderChoicesAsText({ ...reply, text: '' }));
    const texts = splitMessage(text, Math.max(200, room), utf8Bytes);
    return { texts, menu: { ...reply, text: texts[texts.length - 1] ?? '' } };
  };

  /**
   * Choices as a menu message: each item tappable, numbered like the passive reply (a tap comes
   * back as its number). Where WeChat refuses the menu message, the numbered text goes instead.
   */
  const sendMenu = async (openId: string, menu: Reply): Promise<void> => {
    const choices = menu.choices ?? [];
    const list = choices.map((c, i) => ({ id: String(i + 1), content: `${i + 1}. ${c.label}` }));
    try {
      await api.sendCustom(openId, { msgtype: 'msgmenu', msgmenu: { head_content: menu.text, list, tail_content: menu.footer ?? '' } });
    } catch (e) {
      if (!(e instanceof OaApiError) || deliveryErrorOf(e).kind !== 'rejected') throw deliveryErrorOf(e);
      logger.warn('wechat menu message refused: sent as numbered text', { error: e.message });
      await customText(openId, renderChoicesAsText(menu));
    }
  };

  /** one part: the passive reply of an open callback when there is one, else a customer-service message */
  const sendPart = async (openId: string, text: string, menu: Reply | undefined): Promise<void> => {
    const waiter = takeWaiter(openId);
    if (waiter && (await waiter.respond(menu ? renderChoicesAsText(menu) : text))) return;
    if (menu) await sendMenu(openId, menu);
    else await customText(openId, text);
  };

  const notify = async (target: DeliveryTarget, reply: Reply): Promise<void> => {
    const sub = config.subscribe;
    const key = { channel: target.channel, userId: target.userId };
    // WeChat itself refuses a notification the user has not accepted (43101): without word either
    // way the bot tries; a known refusal (the popup, the settings, an earlier 43101) holds the nudge.
    if (!sub || !reply.notice || (await deps.consents.state(key, sub.templateId)) === 'refused') throw new DeliveryError('no subscription: held for the user’s next message', 'deferred');
    try {
      await api.sendSubscribe(target.userId, sub.templateId, noticeData(reply.notice, sub.fields), sub.page);
    } catch (e) {
      if (e instanceof OaApiError && e.errcode === SUBSCRIPTION_REFUSED) await deps.consents.set(key, sub.templateId, false, clock.now());
      throw deliveryErrorOf(e);
    }
    if (sub.once) await deps.consents.use(key, sub.templateId, clock.now());
  };

  const deliver = async (target: DeliveryTarget, reply: Reply, progress?: DeliveryProgress): Promise<void> => {
    if (target.unprompted) return notify(target, reply);
    const { texts, menu } = partsOf(reply);
    for (let i = progress?.partsSent ?? 0; i < texts.length; i++) {
      const last = i === texts.length - 1;
      await sendPart(target.userId, texts[i] ?? '', last ? menu : undefined);
      if (!last) await progress?.partSent(i + 1);
    }
  };

  const verified = (query: URLSearchParams, encrypt?: string): boolean => {
    const [timestamp, nonce] = [query.get('timestamp') ?? '', query.get('nonce') ?? ''];
    if (encrypt !== undefined) return signatureMatches(sha1Signature(config.token, timestamp, nonce, encrypt), query.get('msg_signature') ?? undefined);
    return signatureMatches(sha1Signature(config.token, timestamp, nonce), query.get('signature') ?? undefined);
  };

  /** the reply body, in the envelope the request came in */
  const envelope = (xml: string, encrypted: boolean): string => {
    if (!encrypted || !cipher) return xml;
    const encrypt = cipher.encrypt(xml);
    const timestamp = String(Math.floor(clock.now().getTime() / 1000));
    const nonce = randomBytes(8).toString('hex');
    return encryptedReplyXml(encrypt, sha1Signature(config.token, timestamp, nonce, encrypt), timestamp, nonce);
  };

  const onCallback = async (req: HttpRequest, res: ServerResponse, query: URLSearchParams): Promise<void> => {
    const body = await readBody(req);
    const outer = parseXml(body);
    const encrypted = query.get('encrypt_type') === 'aes' || typeof outer['Encrypt'] === 'string';
    const encrypt = encrypted ? String(outer['Encrypt'] ?? '') : undefined;
    if (!verified(query, encrypt)) return send(res, 403, 'invalid signature');
    if (encrypted && !cipher) return send(res, 400, 'safe mode needs WECHAT_OA_ENCODING_AES_KEY');
    const inner = encrypt !== undefined && cipher ? parseXml(cipher.decrypt(encrypt)) : outer;
    const parsed = inboundSchema.safeParse(inner);
    if (!parsed.success) return send(res, 400, 'not a WeChat message');
    const x = parsed.data;
    const action = inboundAction(x);
    const reply = (content: string): void => send(res, 200, envelope(textReplyXml(x.FromUserName, x.ToUserName, content, Math.floor(clock.now().getTime() / 1000)), encrypted), 'application/xml');
    if (action.kind === 'welcome') return reply(deps.texts.zh.welcome);
    if (action.kind === 'consent') {
      // recorded before WeChat hears back: a failed write is a 500, and WeChat sends the event again
      for (const c of action.changes) await deps.consents.set({ channel: 'wechat-oa', userId: x.FromUserName }, c.templateId, c.granted, clock.now());
      return send(res, 200, 'success');
    }
    if (action.kind === 'ignore') return send(res, 200, 'success');
    const received = Date.now();
    // Recorded before WeChat hears anything back: a crash now means WeChat retries, and the
    // inbox then knows the MsgId (answered once).
    const fresh = await deps.gateway.submit(action.message, action.platformId);
    if (!fresh) return send(res, 200, 'success');
    await waitForPassiveReply(x.FromUserName, res, reply, Math.max(0, config.replyWithinMs - (Date.now() - received)));
  };

  /** holds the request until the first reply for this user, or answers empty at the deadline */
  const waitForPassiveReply = (openId: string, res: ServerResponse, reply: (content: string) => void, within: number): Promise<void> =>
    new Promise((resolve) => {
      let settled = false;
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        clearTimeout(timer);
        const list = waiters.get(openId)?.filter((w) => w !== waiter);
        if (list?.length) waiters.set(openId, list);
        else waiters.delete(openId);
        return true;
      };
      const waiter: Waiter = {
        respond(content) {
          if (!settle()) return Promise.resolve(false);
          return new Promise<boolean>((done) => {
            res.once('finish', () => done(true));
            res.once('close', () => done(res.writableFinished));
            reply(content);
          }).finally(resolve);
        },
        expire() {
          if (!settle()) return;
          send(res, 200, 'success');
          resolve();
        },
      };
      const timer = setTimeout(() => waiter.expire(), within);
      waiters.set(openId, [...(waiters.get(openId) ?? []), waiter]);
    });

  const onDownload = (res: ServerResponse, id: string, query: URLSearchParams): void => {
    const found = links.resolve(id, query.get('exp'), query.get('sig'), clock.now());
    if (!found.ok) return send(res, found.status, found.status === 410 ? 'link expired' : 'invalid link');
    res.writeHead(200, {
      'content-type': found.file.mimeType,
      'content-length': found.file.data.length,
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(found.file.name)}`,
      'cache-control': 'private, no-store',
    });
    res.end(found.file.data);
  };

  const handle = async (req: HttpRequest, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const download = /^\/files\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && download) return onDownload(res, download[1] ?? '', url.searchParams);
    if (req.method === 'GET' && url.pathname === '/healthz') {
      const health = (await deps.health?.()) ?? { ok: true };
      return send(res, health.ok ? 200 : 503, JSON.stringify(health), 'application/json');
    }
    // the callback also answers at / (where the wechaty puppet had it), so an old 服务器配置 URL keeps working
    if (url.pathname !== config.path && url.pathname !== '/') return send(res, 404, 'not found');
    if (req.method === 'GET') {
      // URL verification (服务器配置): echo echostr when the signature is ours
      return verified(url.searchParams) ? send(res, 200, url.searchParams.get('echostr') ?? '') : send(res, 403, 'invalid signature');
    }
    if (req.method !== 'POST') return send(res, 405, 'method not allowed');
    await onCallback(req, res, url.searchParams);
  };

  const createMenu = async (): Promise<void> => {
    const t = deps.texts.zh;
    const click = (m: { name: string; command: string }): { type: 'click'; name: string; key: string } => ({ type: 'click', name: m.name, key: m.command });
    // WeChat allows three top-level buttons: past three, the rest go under "更多".
    const buttons: MenuButton[] = t.menu.length <= 3 ? t.menu.map(click) : [...t.menu.slice(0, 2).map(click), { name: t.menu_more, sub_button: t.menu.slice(2).map(click) }];
    await api.createMenu(buttons).then(
      () => logger.info('wechat official account menu created'),
      (e: unknown) => logger.warn('wechat official account menu not created', { error: errorMessage(e) }),
    );
  };

  return {
    delivery: { deliver },
    listening: () => server?.listening === true,
    address() {
      const a = server?.address();
      return a && typeof a === 'object' ? { host: a.address, port: a.port } : { host: config.host, port: config.port };
    },
    async start() {
      links.sweep(clock.now());
      sweeper = setInterval(() => links.sweep(clock.now()), 10 * 60_000);
      sweeper.unref();
      server = createServer((req, res) => {
        handle(req, res).catch((e: unknown) => {
          logger.warn('wechat official account callback refused', { error: errorMessage(e) });
          if (!res.headersSent) send(res, 400, 'bad request');
        });
      });
      await new Promise<void>((resolve, reject) => {
        server?.once('error', reject);
        server?.listen(config.port, config.host, () => resolve());
      });
      logger.info('wechat official account listening', { ...this.address(), path: config.path });
      if (config.menu) await createMenu();
    },
    async stop() {
      if (sweeper) clearInterval(sweeper);
      for (const list of [...waiters.values()]) for (const w of list) w.expire();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    },
  };
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

async function readBody(req: HttpRequest): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > MAX_BODY_BYTES) throw new Error('callback body too large');
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}
