import { Telegraf, type Context } from 'telegraf';
import type { Message, Update } from 'telegraf/types';
import type { TelegramConfig } from '../../config/config.js';
import type { Logger } from '../../core/logger.js';
import type { Delivery, IncomingMessage, Reply } from '../../core/ports.js';
import type { MessageRouter } from '../../core/router.js';
import { keyboard, telegramParts } from './format-telegram.js';

export interface TelegramChannelDeps {
  config: TelegramConfig;
  router: MessageRouter;
  logger: Logger;
  /** true the first time an update id is seen (re-delivered updates are dropped) */
  firstSeen(updateId: string): boolean;
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
 * The Telegram adapter (telegraf): updates → core messages, core replies → Telegram calls.
 * It only translates: drops re-delivered updates, answers groups only when mentioned or
 * commanded, shows typing, renders choices as inline keyboards and files as documents,
 * splits long replies. Updates are handed to the core without waiting, so a slow answer
 * in one chat never holds up another (the core keeps each user's messages in order).
 */
export function createTelegramChannel(deps: TelegramChannelDeps): TelegramChannel {
  const { config, logger } = deps;
  const bot = new Telegraf(config.token, { ...(config.apiRoot ? { telegram: { apiRoot: config.apiRoot } } : {}), handlerTimeout: 120_000 });

  const send = async (chatId: number | string, reply: Reply): Promise<void> => {
    if (reply.file) {
      await bot.telegram.sendDocument(chatId, { source: reply.file.data, filename: reply.file.name }, { caption: reply.text.slice(0, 1000) });
      return;
    }
    const parts = telegramParts(reply);
    for (const [i, part] of parts.entries()) {
      const last = i === parts.length - 1;
      await bot.telegram.sendMessage(chatId, part, { parse_mode: 'HTML', ...(last && reply.choices?.length ? { reply_markup: keyboard(reply.choices) } : {}) });
    }
  };

  const dispatch = (message: IncomingMessage): void => {
    void (async () => {
      await bot.telegram.sendChatAction(message.chatId, 'typing').catch(() => undefined);
      const replies = await deps.router.handle(message);
      for (const reply of replies) await send(message.chatId, reply);
    })().catch((e: unknown) => logger.error('telegram reply failed', { chat: message.chatId, error: (e as Error).message }));
  };

  bot.use(async (ctx, next) => {
    if (!deps.firstSeen(String(ctx.update.update_id))) {
      logger.debug('telegram update seen before, skipped', { update: ctx.update.update_id });
      return;
    }
    await next();
  });

  bot.on('callback_query', async (ctx) => {
    const q = ctx.callbackQuery;
    const data = 'data' in q ? q.data : undefined;
    await ctx.answerCbQuery().catch(() => undefined);
    if (!data || !ctx.chat) return;
    // The choice is made: take the keyboard away so it cannot be pressed twice.
    await ctx.editMessageReplyMarkup({ inline_keyboard: [] }).catch(() => undefined);
    dispatch({ channel: 'telegram', chatId: String(ctx.chat.id), userId: String(q.from.id), kind: 'text', text: data });
  });

  bot.on('message', (ctx) => {
    const message = ctx.message;
    const kind = kindOf(message);
    const text = 'text' in message ? message.text : undefined;
    const group = ctx.chat.type !== 'private';
    if (group && !addressedToBot(ctx, text)) return;
    const clean = text === undefined ? undefined : stripMention(text, ctx.botInfo?.username);
    dispatch({ channel: 'telegram', chatId: String(ctx.chat.id), userId: String(message.from?.id ?? ctx.chat.id), kind, ...(clean === undefined ? {} : { text: clean }) });
  });

  bot.catch((e, ctx) => logger.error('telegram update failed', { update: (ctx.update as Update).update_id, error: (e as Error).message }));

  return {
    bot,
    delivery: { deliver: (target, reply) => send(target.chatId, reply) },
    async start() {
      await bot.telegram.setMyCommands(TELEGRAM_COMMANDS).catch((e: unknown) => logger.warn('setMyCommands failed', { error: (e as Error).message }));
      await new Promise<void>((resolve, reject) => {
        const launch =
          config.mode === 'webhook'
            ? bot.launch({ webhook: { domain: new URL(config.url).origin, path: new URL(config.url).pathname, port: config.port, secretToken: config.secret } }, resolve)
            : bot.launch(resolve);
        launch.catch(reject);
      });
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
