import { mkdirSync } from 'node:fs';
import path from 'node:path';
import QRCode from 'qrcode';
import { FileBox } from 'file-box';
import { WechatyBuilder, types, type Message, type Wechaty } from 'wechaty';
import type { PuppetInterface } from 'wechaty-puppet/impls';
import type { WechatConfig } from '../../config/config.js';
import { parseCommand } from '../../core/commands.js';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { DeliveryError, type Gateway } from '../../core/pipeline-ports.js';
import { renderChoicesAsText, type Delivery, type DeliveryProgress, type DeliveryTarget, type IncomingMessage, type Reply } from '../../core/ports.js';
import { splitMessage } from '../split-message.js';

/** WeChat shows messages of about this size well; longer ones are split at paragraph and line breaks. */
export const WECHAT_LIMIT = 1200;

export interface WechatChannelDeps {
  config: WechatConfig;
  puppet: PuppetInterface;
  /** records each message durably before the puppet's event handler returns */
  gateway: Gateway;
  logger: Logger;
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
 * The WeChat adapter (wechaty): messages → gateway (recorded under WeChat's message id),
 * outbox rows → say() to the contact or room by id. Choices become numbered lists; files are
 * sent as FileBoxes; long replies are split (each part reported, so a retry does not repeat
 * it). In groups it answers only an @-mention or a command, mentioning the asker. Messages from
 * itself, official accounts and the system are ignored. An Official Account may not message a
 * user unprompted: a nudge is held in the outbox until the user's next message.
 */
export function createWechatChannel(deps: WechatChannelDeps): WechatChannel {
  const { config, logger } = deps;
  const cardDir = path.join(deps.dataDir, 'wechaty');
  mkdirSync(cardDir, { recursive: true });
  // The memory card keeps the login session across restarts, so a restart rarely needs a new scan.
  const wechaty = WechatyBuilder.build({ name: path.join(cardDir, config.name), puppet: deps.puppet as never });
  const officialAccount = config.puppet === 'wechaty-puppet-official-account';

  const partsOf = (reply: Reply): Array<string | FileBox> =>
    reply.file ? [FileBox.fromBase64(reply.file.data.toString('base64'), reply.file.name)] : splitMessage(renderChoicesAsText(reply), WECHAT_LIMIT);

  const deliver = async (target: DeliveryTarget, reply: Reply, progress?: DeliveryProgress): Promise<void> => {
    if (officialAccount && target.unprompted) throw new DeliveryError('an Official Account may not message first', 'deferred');
    const inRoom = target.chatId !== target.userId;
    const room = inRoom ? await wechaty.Room.find({ id: target.chatId }) : undefined;
    const contact = await wechaty.Contact.find({ id: target.userId });
    if (inRoom ? !room : !contact) throw new DeliveryError(`wechat ${inRoom ? 'room' : 'contact'} not found`, 'chat_gone');
    const parts = partsOf(reply);
    for (let i = progress?.partsSent ?? 0; i < parts.length; i++) {
      const part = parts[i] ?? '';
      try {
        if (room) await (typeof part === 'string' && contact ? room.say(part, contact) : room.say(part));
        else await contact?.say(part);
      } catch (e) {
        throw new DeliveryError(errorMessage(e), 'retry');
      }
      if (i < parts.length - 1) await progress?.partSent(i + 1);
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
    await deps.gateway.submit({ channel: 'wechat', chatId: room ? room.id : talker.id, userId: talker.id, kind, ...(text === undefined ? {} : { text }), ...(room ? { group: true } : {}) }, msg.id);
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
      onMessage(msg).catch((e: unknown) => logger.error('wechat message not recorded', { error: errorMessage(e) }));
    });

  return {
    wechaty,
    delivery: { deliver },
    async start() {
      await wechaty.start();
      logger.info('wechat channel started', { puppet: config.puppet });
    },
    async stop() {
      await wechaty.stop();
    },
  };
}
