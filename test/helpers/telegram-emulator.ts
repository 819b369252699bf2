import type { IncomingMessage, ServerResponse } from 'node:http';
import busboy from 'busboy';
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';

export interface SentDocument {
  chatId: string;
  filename: string;
  caption: string;
  data: Buffer;
}

type Handler = (req: IncomingMessage & { params: Record<string, string>; body?: Record<string, unknown> }, res: ServerResponse & { sendResult(data: unknown): void }) => void;
interface Layer {
  route?: { path: string; stack: Array<{ handle: Handler }> };
}

/**
 * telegram-test-api on 127.0.0.1 with the routes it lacks (stack notes): sendDocument
 * (multipart, parsed with busboy in UTF-8 so Chinese file names survive), sendChatAction,
 * setMyCommands, and a getUpdates that holds the poll up to ~1 s instead of answering at once.
 */
export async function startTelegramEmulator(port: number): Promise<{ server: TelegramServer; apiRoot: string; documents: SentDocument[]; stop(): Promise<void> }> {
  const server = new TelegramServer({ port, host: '127.0.0.1', storeTimeout: 600 });
  const app = (server as unknown as { webServer: { all(path: string, h: Handler): void; _router: { stack: Layer[] } } }).webServer;
  const stack = app._router.stack;
  const documents: SentDocument[] = [];
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
  // Long polling: hold getUpdates until a user update arrives or ~1 s passes.
  const getUpdates = stack.find((l) => l.route?.path === '/bot:token/getUpdates');
  for (const layer of getUpdates?.route?.stack ?? []) {
    layer.handle = (req, res) => {
      const token = req.params['token'] ?? '';
      const started = Date.now();
      const poll = (): void => {
        const result = server.getUpdates(token);
        if (result.length > 0 || Date.now() - started > 1000) res.sendResult({ ok: true, result });
        else setTimeout(poll, 25);
      };
      poll();
    };
  }
  await server.start();
  return { server, apiRoot: server.config.apiURL, documents, stop: async () => void (await server.stop()) };
}
