import type { IncomingMessage, ServerResponse } from 'node:http';
import busboy from 'busboy';
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';

export interface SentDocument {
  chatId: string;
  filename: string;
  caption: string;
  data: Buffer;
}

type Handler = (req: IncomingMessage & { params: Record<string, string>; body?: Record<string, unknown> }, res: ServerResponse & { sendResult(data: unknown): void }, next: () => void) => void;
interface Layer {
  name?: string;
  route?: { path: string; stack: Array<{ handle: Handler }> };
}

/**
 * A fault the route layer injects into Bot API calls of one method until a time: an HTTP error
 * answered the way Telegram answers it (500; 429 with parameters.retry_after; 403 blocked), or
 * a delay before the call is served.
 */
export interface Fault {
  method: string;
  until: number;
  /** only calls for this chat (default: every chat) */
  chatId?: string;
  /** with delayMs: a call whose client went away meanwhile (the bot was killed) is never served */
  dropIfGone?: boolean;
  status?: 500 | 429 | 403;
  retryAfter?: number;
  delayMs?: number;
}

export interface TelegramEmulator {
  server: TelegramServer;
  apiRoot: string;
  documents: SentDocument[];
  /** calls served per Bot API method (faulted ones included) */
  calls: Map<string, number>;
  inject(fault: Fault): void;
  clearFaults(): void;
  /** texts the bot sent to a chat, oldest first */
  sentTo(chatId: number | string): string[];
  stop(): Promise<void>;
}

/**
 * telegram-test-api on 127.0.0.1 with the routes it lacks (stack notes): sendDocument
 * (multipart, parsed with busboy in UTF-8 so Chinese file names survive), sendChatAction,
 * setMyCommands; a getUpdates with Telegram's offset semantics (an update stays until a later
 * call's offset confirms it, so a bot killed before confirming gets it again) that holds the
 * poll up to ~1 s; and a fault-injecting layer in front of every Bot API method.
 */
export async function startTelegramEmulator(port: number): Promise<TelegramEmulator> {
  const server = new TelegramServer({ port, host: '127.0.0.1', storeTimeout: 600 });
  const app = (server as unknown as { webServer: { all(path: string, h: Handler): void; use(h: Handler): void; _router: { stack: Layer[] } } }).webServer;
  const stack = app._router.stack;
  const documents: SentDocument[] = [];
  const calls = new Map<string, number>();
  let faults: Fault[] = [];
  // The fault layer goes right after the body parsers and the request logger, before any route.
  app.use((req, res, next) => {
    const method = /\/bot[^/]+\/(\w+)/.exec(req.url ?? '')?.[1];
    if (!method) return next();
    calls.set(method, (calls.get(method) ?? 0) + 1);
    const chat = String((req.body as { chat_id?: unknown } | undefined)?.chat_id ?? '');
    const fault = faults.find((f) => f.method === method && Date.now() < f.until && (f.chatId === undefined || f.chatId === chat));
    if (!fault) return next();
    if (fault.delayMs) {
      let gone = false;
      res.on('close', () => (gone = !res.writableEnded));
      return void setTimeout(() => (fault.dropIfGone && gone ? undefined : next()), fault.delayMs);
    }
    const status = fault.status ?? 500;
    const description = status === 429 ? `Too Many Requests: retry after ${fault.retryAfter ?? 1}` : status === 403 ? 'Forbidden: bot was blocked by the user' : 'Internal Server Error';
    res.statusCode = status;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ ok: false, error_code: status, description, ...(status === 429 ? { parameters: { retry_after: fault.retryAfter ?? 1 } } : {}) }));
  });
  const faultLayer = stack.pop();
  const loggerAt = stack.findIndex((l) => l.name === 'requestLogger');
  if (faultLayer) stack.splice(loggerAt >= 0 ? loggerAt + 1 : 2, 0, faultLayer);
  // The emulator ends its stack with a catch-all for unknown methods, a 404 and an error handler:
  // the new routes go before all three.
  const tail = stack.splice(stack.length - 2, 2);
  const unknownAt = stack.findIndex((l) => l.route?.path === '/bot:token/:method');
  if (unknownAt >= 0) tail.unshift(...stack.splice(unknownAt, 1));
  app.all('/bot:token/sendDocument', (req, res) => {
    const fields: Record<string, string> = {};
    let file: { filename: string; data: Buffer } | undefined;
    const bb = busboy({ headers: req.headers, defParamCharset: 'utf8' });
    bb.on('field', (name: string, value: string) => {
      fields[name] = value;
    });
    bb.on('file', (_name: string, stream: NodeJS.ReadableStream, info: { filename: string }) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => (file = { filename: info.filename, data: Buffer.concat(chunks) }));
    });
    bb.on('close', () => {
      const chatId = fields['chat_id'] ?? '';
      if (file) documents.push({ chatId, filename: file.filename, caption: fields['caption'] ?? '', data: file.data });
      const result = server.addBotMessage({ chat_id: chatId, text: `[document] ${file?.filename ?? ''}` } as never, req.params['token'] ?? '');
      res.sendResult({ ok: true, result: { ...result, document: { file_name: file?.filename } } });
    });
    req.pipe(bb);
  });
  app.all('/bot:token/sendChatAction', (_req, res) => res.sendResult({ ok: true, result: true }));
  app.all('/bot:token/setMyCommands', (_req, res) => res.sendResult({ ok: true, result: true }));
  stack.push(...tail);
  // Long polling as Telegram does it: updates below `offset` are confirmed (gone); the rest are
  // returned again until confirmed; the call is held until one arrives or ~1 s passes.
  const storage = server.storage as unknown as { userMessages: Array<{ botToken: string; updateId: number }> };
  const getUpdates = stack.find((l) => l.route?.path === '/bot:token/getUpdates');
  for (const layer of getUpdates?.route?.stack ?? []) {
    layer.handle = (req, res) => {
      const token = req.params['token'] ?? '';
      const offset = Number((req.body as { offset?: unknown } | undefined)?.offset ?? 0) || 0;
      storage.userMessages = storage.userMessages.filter((u) => u.botToken !== token || u.updateId >= offset);
      const started = Date.now();
      const poll = (): void => {
        const waiting = storage.userMessages.filter((u) => u.botToken === token && u.updateId >= offset).slice(0, 100);
        if (waiting.length > 0 || Date.now() - started > 1000 || res.writableEnded) {
          if (!res.writableEnded) res.sendResult({ ok: true, result: waiting.map((u) => (TelegramServer as unknown as { formatUpdate(u: unknown): unknown }).formatUpdate(u)) });
        } else setTimeout(poll, 25);
      };
      poll();
    };
  }
  await server.start();
  return {
    server,
    apiRoot: server.config.apiURL,
    documents,
    calls,
    inject: (fault) => void faults.push(fault),
    clearFaults: () => void (faults = []),
    sentTo: (chatId) => server.storage.botMessages.filter((m) => String(m.message.chat_id) === String(chatId)).map((m) => String(m.message.text ?? '')),
    stop: async () => void (await server.stop()),
  };
}

export interface BotMessage {
  messageId: number;
  message: { chat_id: string | number; text: string; parse_mode?: string; reply_markup?: { inline_keyboard: Array<Array<{ text: string; callback_data: string; url?: string }>> } };
}

/** A Telegram user talking to the bot through the emulator, seeing what a person would see. */
export interface EmulatedUser {
  client: ReturnType<TelegramServer['getClient']>;
  chatId: number;
  /** waits until the bot has sent `count` new messages to this chat (or the timeout) */
  replies(count: number, timeoutMs?: number): Promise<BotMessage[]>;
  say(text: string, expect?: number, timeoutMs?: number): Promise<BotMessage[]>;
  press(from: BotMessage, label: string, expect?: number): Promise<BotMessage[]>;
}

export function emulatedUser(emulator: Pick<TelegramEmulator, 'server'>, token: string, userId: number, options: { chatId?: number; type?: 'private' | 'group' } = {}): EmulatedUser {
  const chatId = options.chatId ?? userId;
  const client = emulator.server.getClient(token, { userId, chatId, firstName: `User${userId}`, userName: `user${userId}`, type: options.type ?? 'private' });
  // Reads the emulator's store directly: its client's getUpdates keeps polling after a timeout and would swallow replies.
  const replies = async (count: number, timeoutMs = 8000): Promise<BotMessage[]> => {
    const got: BotMessage[] = [];
    const until = Date.now() + timeoutMs;
    while (got.length < count && Date.now() < until) {
      for (const u of emulator.server.storage.botMessages) {
        if (!u.isRead && String(u.message.chat_id) === String(chatId)) {
          u.isRead = true;
          got.push(u as unknown as BotMessage);
        }
      }
      if (got.length < count) await new Promise((res) => setTimeout(res, 25));
    }
    return got;
  };
  return {
    client,
    chatId,
    replies,
    async say(text, expect = 1, timeoutMs = 8000) {
      await (text.startsWith('/') ? client.sendCommand(client.makeCommand(text)) : client.sendMessage(client.makeMessage(text)));
      return replies(expect, timeoutMs);
    },
    async press(from, label, expect = 1) {
      const button = from.message.reply_markup?.inline_keyboard.flat().find((b) => b.text === label || b.text.startsWith(label));
      if (!button) throw new Error(`no button ${label} in ${JSON.stringify(from.message.reply_markup)}`);
      await client.sendCallback(client.makeCallbackQuery(button.callback_data, { message: { message_id: from.messageId } }));
      return replies(expect);
    },
  };
}
