import { mkdirSync } from 'node:fs';
import path from 'node:path';
import QRCode from 'qrcode';
import { FileBox } from 'file-box';
import { WechatyBuilder, types, type Message, type Wechaty } from 'wechaty';
import type { PuppetInterface } from 'wechaty-puppet/impls';
import type { WechatConfig } from '../../config/config.js';
import { parseCommand } from '../../core/commands.js';
import type { Logger } from '../../core/logger.js';
import { renderChoicesAsText, type Delivery, type IncomingMessage, type Reply } from '../../core/ports.js';
import type { MessageRouter } from '../../core/router.js';
import type { OutboxRepository } from '../../storage/outbox-repository.js';
import { splitMessage } from '../split-message.js';

/** WeChat shows messages of about this size well; longer ones are split at paragraph and line breaks. */
export const WECHAT_LIMIT = 1200;

export interface WechatChannelDeps {
  config: WechatConfig;
  puppet: PuppetInterface;
  router: MessageRouter;
  logger: Logger;
  outbox: OutboxRepository;
  dataDir: string;
}

export interface WechatChannel {
  wechaty: Wechaty;
  delivery: Delivery;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const KIND: Partial<Record<types.Message, IncomingMessage['kind']>> = {
  [types.Message.Text]: 'text',
  [types.Message.Image]: 'photo',
  [types.Message.Emoticon]: 'sticker',
  [types.Message.Audio]: 'voice',
  [types.Message.Video]: 'file',
  [types.Message.Attachment]: 'file',
};

/**
 * The WeChat adapter (wechaty): messages → core messages, replies → say(). Choices become
 * numbered lists; files are sent as FileBoxes; long replies are split. In groups it answers
 * only an @-mention or a command, quoting the asker, and keeps dialogue state per person.
 * Messages from itself, official accounts and the system are ignored. With an Official
 * Account, nudges wait in the outbox and go out with the user's next message.
 */
export function createWechatChannel(deps: WechatChannelDeps): WechatChannel {
  const { config, logger } = deps;
  const cardDir = path.join(deps.dataDir, 'wechaty');
  mkdirSync(cardDir, { recursive: true });
  // The memory card keeps the login session across restarts, so a restart rarely needs a new scan.
  const wechaty = WechatyBuilder.build({ name: path.join(cardDir, config.name), puppet: deps.puppet as never });
  const officialAccount = config.puppet === 'wechaty-puppet-official-account';

  const sayTo = async (msg: Message, reply: Reply): Promise<void> => {
    const room = msg.room();
    const talker = msg.talker();
    if (reply.file) {
      const box = FileBox.fromBase64(reply.file.data.toString('base64'), reply.file.name);
      await (room ? room.say(box) : talker.say(box));
      return;
    }
    for (const part of splitMessage(renderChoicesAsText(reply), WECHAT_LIMIT)) {
      await (room ? room.say(part, talker) : talker.say(part));
    }
  };

  const onMessage = async (msg: Message): Promise<void> => {
    if (msg.self()) return;
    const talker = msg.talker();
    if (talker.type() !== types.Contact.Individual) return; // official accounts, corporations
    const kind = KIND[msg.type()];
    if (!kind) return; // recalled, system and other non-chat messages
    const room = msg.room();
    let text = kind === 'text' ? msg.text() : undefined;
    if (room) {
      const mentioned = await msg.mentionSelf();
      if (kind !== 'text' && !mentioned) return;
      text = kind === 'text' ? (await msg.mentionText()).trim() : undefined;
      if (!mentioned && !(text && parseCommand(text))) return; // chatter not addressed to the bot
    }
    for (const pending of deps.outbox.take('wechat', talker.id)) await sayTo(msg, pending);
    const replies = await deps.router.handle({ channel: 'wechat', chatId: room ? room.id : talker.id, userId: talker.id, kind, ...(text === undefined ? {} : { text }) });
    for (const reply of replies) await sayTo(msg, reply);
  };

  wechaty
    .on('scan', (qrcode, status) => {
      if (status !== types.ScanStatus.Waiting && status !== types.ScanStatus.Timeout) return;
      const url = `https://wechaty.js.org/qrcode/${encodeURIComponent(qrcode)}`;
      const png = path.join(deps.dataDir, 'wechat-login-qr.png');
      QRCode.toString(qrcode, { type: 'terminal', small: true })
        .then((art) => process.stderr.write(`${art}\n`))
        .catch(() => undefined);
      QRCode.toFile(png, qrcode).catch(() => undefined);
      logger.info('scan the QR code to log in to WeChat', { url, png });
    })
    .on('login', (user) => logger.info('wechat logged in', { user: user.name() }))
    .on('ready', () => logger.info('wechat ready'))
    .on('heartbeat', () => logger.debug('wechat heartbeat'))
    .on('logout', (user, reason) => logger.warn('wechat logged out', { user: user.name(), reason }))
    .on('error', (e) => logger.error('wechat error', { error: e.message }))
    .on('friendship', async (friendship) => {
      if (!config.acceptFriends || friendship.type() !== types.Friendship.Receive) return;
      await friendship.accept();
      await friendship.contact().say(config.welcome ?? '您好！我是知识产权公共服务政策助手。直接发问题即可，回复“帮助”查看功能。');
      logger.info('friend request accepted', { contact: friendship.contact().id });
    })
    .on('message', (msg) => {
      onMessage(msg).catch((e: unknown) => logger.error('wechat reply failed', { error: (e as Error).message }));
    });

  return {
    wechaty,
    delivery: {
      async deliver(target, reply) {
        if (officialAccount) {
          // An Official Account may not message a user unprompted: the nudge waits for their next message.
          deps.outbox.put('wechat', target.userId, target.chatId, reply, new Date());
          return;
        }
        const contact = await wechaty.Contact.find({ id: target.userId });
        if (!contact) throw new Error(`wechat contact ${target.userId} not found`);
        for (const part of splitMessage(renderChoicesAsText(reply), WECHAT_LIMIT)) await contact.say(part);
      },
    },
    async start() {
      await wechaty.start();
      logger.info('wechat channel started', { puppet: config.puppet });
    },
    async stop() {
      await wechaty.stop();
    },
  };
}
