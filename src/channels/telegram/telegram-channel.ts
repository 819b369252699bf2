import { once } from 'node:events';
import type { IncomingMessage as HttpRequest, Server, ServerResponse } from 'node:http';
import { Telegraf, TelegramError, type Context } from 'telegraf';
import type { Message, Update } from 'telegraf/types';
import type { TelegramConfig } from '../../config/config.js';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { DeliveryError, type Gateway } from '../../core/pipeline-ports.js';
import type { Delivery, DeliveryProgress, IncomingMessage, Reply } from '../../core/ports.js';
import { keyboard, telegramParts } from './format-telegram.js';

export interface TelegramChannelDeps {
  config: TelegramConfig;
  /** records each update durably before telegraf confirms it (getUpdates offset, webhook 200) */
  gateway: Gateway;
  logger: Logger;
  /** receiving stopped for good (an update could not be recorded): the process should restart */
  onFatal?(error: unknown): void;
  /** webhook mode: what GET /healthz on the webhook port reports (the load balancer's check) */
  health?: () => Promise<{ ok: boolean }>;
}

export interface TelegramChannel {
  bot: Telegraf;
  delivery: Delivery;
  /** resolves once the bot is receiving updates */
  start(): Promise<void>;
  stop(): void;
}

/** The command menu (setMyCommands); the words match the core's command table. */
export const TELEGRAM_COMMANDS = [
  { command: 'start', description: '这个机器人能做什么' },
  { command: 'ask', description: '提问（也可直接输入问题）' },
  { command: 'check', description: '资格自查：能否备案网点/登记地市级机构' },
  { command: 'register', description: '逐项填写备案表/登记表，生成 Word 草稿' },
  { command: 'remind', description: '期限提醒：年度总结、有效期续期、整改' },
  { command: 'materials', description: '材料清单' },
  { command: 'deadlines', description: '时间要求' },
  { command: 'help', description: '全部功能' },
  { command: 'lang', description: '回答语言 zh / en / auto' },
  { command: 'forget', description: '删除我的全部数据' },
];

function kindOf(message: Message): IncomingMessage['kind'] {
  if ('text' in message) return 'text';
  if ('sticker' in message) return 'sticker';
  if ('photo' in message) return 'photo';
  if ('voice' in message || 'audio' in message || 'video_note' in message) return 'voice';
  if ('document' in message) return 'file';
  return 'other';
}

/**
 * What a failed Bot API call means for the outbox: 429 and 5xx are retried (429 after its
 * retry_after), 403 (blocked, kicked) and "chat not found" end the chat, any other 4xx is a
 * message Telegram will never take; no HTTP answer at all is a network error, retried.
 */
export function classifyTelegramError(e: unknown): DeliveryError {
  if (!(e instanceof TelegramError)) return new DeliveryError(errorMessage(e), 'retry');
  const code = e.code;
  if (code === 429) return new DeliveryError(e.message, 'retry', (e.parameters?.retry_after ?? 5) * 1000);
  if (code >= 500) return new DeliveryError(e.message, 'retry');
  if (code === 403 || /chat not found|user is deactivated|bot was kicked/i.test(e.description)) return new DeliveryError(e.message, 'chat_gone');
  return new DeliveryError(e.message, 'rejected');
}

/**
 * The Telegram adapter (telegraf): updates → gateway, outbox rows → Telegram calls. It only
 * translates: records every update before telegraf confirms it, answers groups only when
 * mentioned or commanded, renders choices as inline keyboards and files as documents, splits
 * long replies (reporting each part sent, so a retry does not repeat them). Button presses are
 * acknowledged without waiting, so one slow call never holds up the next update.
 */
export function createTelegramChannel(deps: TelegramChannelDeps): TelegramChannel {
  const { config, logger } = deps;
  const bot = new Telegraf(config.token, { ...(config.apiRoot ? { telegram: { apiRoot: config.apiRoot } } : {}), handlerTimeout: 120_000 });
  const privateLink = (): string | undefined => (bot.botInfo?.username ? `https://t.me/${bot.botInfo.username}?start=` : undefined);

  const send = async (chatId: string, reply: Reply, progress?: DeliveryProgress): Promise<void> => {
    try {
      if (reply.file) {
        await bot.telegram.sendDocument(chatId, { source: reply.file.data, filename: reply.file.name }, { caption: reply.text.slice(0, 1000) });
        return;
      }
      const parts = telegramParts(reply);
      for (let i = progress?.partsSent ?? 0; i < parts.length; i++) {
        const last = i === parts.length - 1;
        await bot.telegram.sendMessage(chatId, parts[i] ?? '', { parse_mode: 'HTML', ...(last && reply.choices?.length ? { reply_markup: keyboard(reply.choices) } : {}) });
        if (!last) await progress?.partSent(i + 1);
      }
    } catch (e) {
      throw classifyTelegramError(e);
    }
  };

  /** Fire and forget: a platform nicety whose failure or slowness must not hold anything up. */
  const aside = (call: Promise<unknown>): void => {
    call.catch(() => undefined);
  };

  const submit = async (ctx: Context, message: IncomingMessage): Promise<void> => {
    await deps.gateway.submit(message, String(ctx.update.update_id));
  };

  bot.on('callback_query', async (ctx) => {
    const q = ctx.callbackQuery;
    const data = 'data' in q ? q.data : undefined;
    // Acknowledged and the keyboard removed (it cannot be pressed twice) without waiting.
    aside(ctx.answerCbQuery());
    if (!data || !ctx.chat) return;
    aside(ctx.editMessageReplyMarkup({ inline_keyboard: [] }));
    const group = ctx.chat.type !== 'private';
    const link = privateLink();
    await submit(ctx, { channel: 'telegram', chatId: String(ctx.chat.id), userId: String(q.from.id), kind: 'text', text: data, ...(group ? { group } : {}), ...(link ? { privateLink: link } : {}) });
  });

  bot.on('message', async (ctx) => {
    const message = ctx.message;
    const kind = kindOf(message);
    const text = 'text' in message ? message.text : undefined;
    const group = ctx.chat.type !== 'private';
    if (group && !addressedToBot(ctx, text)) return;
    const clean = text === undefined ? undefined : stripMention(text, ctx.botInfo?.username);
    const link = privateLink();
    await submit(ctx, {
      channel: 'telegram',
      chatId: String(ctx.chat.id),
      userId: String(message.from?.id ?? ctx.chat.id),
      kind,
      ...(clean === undefined ? {} : { text: clean }),
      ...(group ? { group } : {}),
      ...(link ? { privateLink: link } : {}),
    });
  });

  // An update that could not be recorded is not confirmed: telegraf's error makes polling stop
  // or the webhook answer 500, and Telegram delivers it again.
  bot.catch((e, ctx) => {
    logger.error('telegram update not recorded', { update: (ctx.update as Update).update_id, error: errorMessage(e) });
    throw e;
  });

  /**
   * What telegraf passes on: GET /healthz answers for this process; a post to the webhook path got
   * here because its secret token was wrong (403); anything else is 404.
   */
  const healthOrNotFound = (req: HttpRequest, res: ServerResponse): void => {
    if (req.method !== 'GET' || req.url !== '/healthz') {
      res.writeHead(config.mode === 'webhook' && req.url?.split('?')[0] === new URL(config.url).pathname ? 403 : 404).end();
      return;
    }
    void (deps.health?.() ?? Promise.resolve({ ok: true })).then(
      (health) => res.writeHead(health.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(health)),
      () => res.writeHead(503).end(),
    );
  };

  return {
    bot,
    delivery: { deliver: (target, reply, progress) => send(target.chatId, reply, progress) },
    async start() {
      await bot.telegram.setMyCommands(TELEGRAM_COMMANDS).catch((e: unknown) => logger.warn('setMyCommands failed', { error: errorMessage(e) }));
      await new Promise<void>((resolve, reject) => {
        let started = false;
        const ready = (): void => {
          started = true;
          resolve();
        };
        const launch =
          config.mode === 'webhook'
            ? bot.launch({ webhook: { domain: new URL(config.url).origin, path: new URL(config.url).pathname, host: config.host, port: config.port, secretToken: config.secret, cb: healthOrNotFound } }, ready)
            : bot.launch(ready);
        launch.catch((e: unknown) => {
          if (!started) return reject(e);
          logger.error('telegram receiving stopped', { error: errorMessage(e) });
          deps.onFatal?.(e);
        });
      });
      // telegraf reports the launch before its webhook server is bound: ready means reachable.
      const server = (bot as unknown as { webhookServer?: Server }).webhookServer;
      if (server && !server.listening) await once(server, 'listening');
      logger.info(`telegram channel ready (${config.mode})`, { bot: bot.botInfo?.username });
    },
    stop() {
      try {
        bot.stop('shutdown');
      } catch {
        // not running
      }
    },
  };
}

/** In groups: a command, an @mention of the bot, or a reply to the bot's message. */
function addressedToBot(ctx: Context, text: string | undefined): boolean {
  if (!text) return false;
  const username = ctx.botInfo?.username;
  if (text.startsWith('/')) return !text.split(/\s/)[0]?.includes('@') || (username !== undefined && text.split(/\s/)[0]?.endsWith(`@${username}`) === true);
  if (username && text.includes(`@${username}`)) return true;
  const replyTo = ctx.message && 'reply_to_message' in ctx.message ? ctx.message.reply_to_message : undefined;
  return replyTo?.from?.id !== undefined && replyTo.from.id === ctx.botInfo?.id;
}

function stripMention(text: string, username: string | undefined): string {
  return username ? text.replace(new RegExp(`@${username}\\b`, 'g'), '').trim() : text;
}
