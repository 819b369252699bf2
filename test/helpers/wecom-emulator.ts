import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * WeCom's side of an intelligent bot's long connection (wss://openws.work.weixin.qq.com), on
 * 127.0.0.1, written from the SDK's source and WeCom's documentation and independent of the
 * bot: it checks the subscribe frame's bot_id and secret, acknowledges every frame by req_id
 * ({ headers: { req_id }, errcode, errmsg }), pushes aibot_msg_callback and aibot_event_callback
 * frames, and keeps what a user would see: streams as they grow, cards, markdown messages and
 * files (re-assembled from the three-step upload). It refuses what WeCom refuses: a reply to a
 * req_id it never sent, a stream over 20,480 bytes, a card update later than 5 s after the press.
 */
export const BOT_ID = 'aibEmulated01';
export const BOT_SECRET = 'emulated-secret-42';

export interface Shown {
  kind: 'stream' | 'markdown' | 'card' | 'file' | 'welcome';
  chatId: string;
  /** the stream's content at each frame (it grows), or the message's text */
  contents: string[];
  finished?: boolean;
  feedbackId?: string;
  card?: { taskId: string; title: string; buttons: Array<{ text: string; key: string }> };
  file?: { name: string; data: Buffer };
}

interface Frame {
  cmd?: string;
  headers: { req_id: string };
  body?: Record<string, unknown>;
}

export async function startWecomEmulator() {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  let socket: WebSocket | undefined;
  let authenticated: () => void = () => undefined;
  const ready = new Promise<void>((r) => (authenticated = r));
  const callbacks = new Map<string, { chatId: string; at: number; event?: string }>();
  const shown: Shown[] = [];
  const streams = new Map<string, Shown>();
  const uploads = new Map<string, { name: string; md5: string; chunks: Buffer[] }>();
  const refusals: string[] = [];
  let seq = 0;

  const send = (frame: unknown): void => socket?.send(JSON.stringify(frame));
  const ack = (reqId: string, errcode = 0, errmsg = 'ok', body?: unknown): void => send({ headers: { req_id: reqId }, errcode, errmsg, ...(body ? { body } : {}) });
  const refuse = (reqId: string, why: string): void => {
    refusals.push(why);
    ack(reqId, 40058, why);
  };

  const cardOf = (c: Record<string, unknown>): Shown['card'] => ({
    taskId: String(c['task_id'] ?? ''),
    title: String((c['main_title'] as { title?: string } | undefined)?.title ?? ''),
    buttons: ((c['button_list'] as Array<{ text: string; key: string }> | undefined) ?? []).map((b) => ({ text: b.text, key: b.key })),
  });

  const onReply = (f: Frame): void => {
    const reqId = f.headers.req_id;
    const body = f.body ?? {};
    const origin = callbacks.get(reqId);
    if (!origin) return refuse(reqId, `reply to unknown req_id ${reqId}`);
    if (f.cmd === 'aibot_respond_welcome_msg') {
      if (Date.now() - origin.at > 5000) return refuse(reqId, 'welcome after 5 s');
      shown.push({ kind: 'welcome', chatId: origin.chatId, contents: [String((body['text'] as { content?: string } | undefined)?.content ?? '')] });
      return ack(reqId);
    }
    if (f.cmd === 'aibot_respond_update_msg') {
      if (origin.event !== 'template_card_event' || Date.now() - origin.at > 5000) return refuse(reqId, 'card update not within 5 s of a press');
      const card = cardOf((body['template_card'] as Record<string, unknown>) ?? {});
      const target = shown.find((s) => s.card?.taskId === card?.taskId);
      if (!target) return refuse(reqId, 'update of an unknown card');
      target.contents.push(String(((body['template_card'] as Record<string, unknown>)['main_title'] as { desc?: string } | undefined)?.desc ?? ''));
      return ack(reqId);
    }
    const stream = body['stream'] as { id: string; finish?: boolean; content: string; feedback?: { id: string } } | undefined;
    if (body['msgtype'] === 'stream' || body['msgtype'] === 'stream_with_template_card') {
      if (!stream) return refuse(reqId, 'stream without stream');
      if (Buffer.byteLength(stream.content) > 20480) return refuse(reqId, 'stream content over 20480 bytes');
      let s = streams.get(stream.id);
      if (!s) {
        s = { kind: 'stream', chatId: origin.chatId, contents: [], finished: false, ...(stream.feedback ? { feedbackId: stream.feedback.id } : {}) };
        streams.set(stream.id, s);
        shown.push(s);
      }
      if (s.finished) return refuse(reqId, 'frame on a finished stream');
      s.contents.push(stream.content);
      s.finished = stream.finish === true;
      const card = body['template_card'] as Record<string, unknown> | undefined;
      if (card) shown.push({ kind: 'card', chatId: origin.chatId, contents: [], card: cardOf(card) });
      return ack(reqId);
    }
    refuse(reqId, `unsupported reply ${String(body['msgtype'])}`);
  };

  const onSend = (f: Frame): void => {
    const body = f.body ?? {};
    const chatId = String(body['chatid'] ?? '');
    const type = body['msgtype'];
    if (type === 'markdown') {
      const content = String((body['markdown'] as { content?: string }).content ?? '');
      if (Buffer.byteLength(content) > 4096) return refuse(f.headers.req_id, 'markdown over 4096 bytes');
      shown.push({ kind: 'markdown', chatId, contents: [content] });
    } else if (type === 'template_card') shown.push({ kind: 'card', chatId, contents: [], card: cardOf(body['template_card'] as Record<string, unknown>) });
    else if (type === 'file') {
      const mediaId = String((body['file'] as { media_id?: string }).media_id ?? '');
      const u = uploads.get(mediaId);
      if (!u) return refuse(f.headers.req_id, 'unknown media_id');
      shown.push({ kind: 'file', chatId, contents: [], file: { name: u.name, data: Buffer.concat(u.chunks) } });
    } else return refuse(f.headers.req_id, `unsupported message ${String(type)}`);
    ack(f.headers.req_id);
  };

  const onUpload = (f: Frame): void => {
    const b = f.body ?? {};
    if (f.cmd === 'aibot_upload_media_init') {
      const id = `up_${++seq}`;
      uploads.set(id, { name: String(b['filename']), md5: String(b['md5']), chunks: [] });
      return ack(f.headers.req_id, 0, 'ok', { upload_id: id });
    }
    const u = uploads.get(String(b['upload_id']));
    if (!u) return refuse(f.headers.req_id, 'unknown upload_id');
    if (f.cmd === 'aibot_upload_media_chunk') {
      u.chunks[Number(b['chunk_index'])] = Buffer.from(String(b['base64_data']), 'base64');
      return ack(f.headers.req_id);
    }
    const data = Buffer.concat(u.chunks);
    if (createHash('md5').update(data).digest('hex') !== u.md5) return refuse(f.headers.req_id, 'md5 mismatch');
    const mediaId = `media_${++seq}`;
    uploads.set(mediaId, u);
    ack(f.headers.req_id, 0, 'ok', { type: 'file', media_id: mediaId, created_at: String(Date.now()) });
  };

  wss.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (raw) => {
      const f = JSON.parse(String(raw)) as Frame;
      switch (f.cmd) {
        case 'aibot_subscribe':
          if (f.body?.['bot_id'] !== BOT_ID || f.body?.['secret'] !== BOT_SECRET) return ack(f.headers.req_id, 40014, 'invalid secret');
          ack(f.headers.req_id);
          return authenticated();
        case 'ping':
          return ack(f.headers.req_id);
        case 'aibot_respond_msg':
        case 'aibot_respond_welcome_msg':
        case 'aibot_respond_update_msg':
          return onReply(f);
        case 'aibot_send_msg':
          return onSend(f);
        case 'aibot_upload_media_init':
        case 'aibot_upload_media_chunk':
        case 'aibot_upload_media_finish':
          return onUpload(f);
        default:
          refuse(f.headers.req_id, `unknown cmd ${String(f.cmd)}`);
      }
    });
  });

  const push = (cmd: string, chatId: string, body: Record<string, unknown>, event?: string): string => {
    const reqId = `${cmd}_${randomBytes(6).toString('hex')}`;
    callbacks.set(reqId, { chatId, at: Date.now(), ...(event ? { event } : {}) });
    send({ cmd, headers: { req_id: reqId }, body });
    return reqId;
  };
  const base = (userId: string, group?: string) => ({ msgid: `msg_${++seq}_${randomBytes(4).toString('hex')}`, aibotid: BOT_ID, chattype: group ? 'group' : 'single', ...(group ? { chatid: group } : {}), from: { userid: userId } });

  return {
    url,
    ready,
    shown,
    refusals,
    /** a user writes to the bot (in a group, with the @-mention WeCom includes); returns the msgid */
    text(userId: string, content: string, group?: string): string {
      const b = base(userId, group);
      push('aibot_msg_callback', group ?? userId, { ...b, msgtype: 'text', text: { content: group ? `@政策助手 ${content}` : content } });
      return b.msgid;
    },
    enterChat(userId: string): void {
      push('aibot_event_callback', userId, { ...base(userId), create_time: Math.floor(Date.now() / 1000), msgtype: 'event', event: { eventtype: 'enter_chat' } }, 'enter_chat');
    },
    press(userId: string, taskId: string, key: string): void {
      push('aibot_event_callback', userId, { ...base(userId), create_time: Math.floor(Date.now() / 1000), msgtype: 'event', event: { eventtype: 'template_card_event', template_card_event: { card_type: 'button_interaction', event_key: key, task_id: taskId } } }, 'template_card_event');
    },
    feedback(userId: string, feedbackId: string, type: 1 | 2 | 3, reasons: number[] = []): void {
      push('aibot_event_callback', userId, { ...base(userId), create_time: Math.floor(Date.now() / 1000), msgtype: 'event', event: { eventtype: 'feedback_event', feedback_event: { id: feedbackId, type, ...(reasons.length ? { inaccurate_reason_list: reasons } : {}) } } }, 'feedback_event');
    },
    /** what one chat has seen */
    chat: (chatId: string): Shown[] => shown.filter((s) => s.chatId === chatId),
    async stop() {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
}
