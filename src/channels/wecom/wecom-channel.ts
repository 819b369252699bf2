import { generateReqId, WSClient, type TemplateCard, type WsFrame } from '@wecom/aibot-node-sdk';
import type { WecomConfig } from '../../config/config.js';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { DeliveryError, type FeedbackLog, type Gateway } from '../../core/pipeline-ports.js';
import { renderChoicesAsText, type Choice, type Delivery, type DeliveryProgress, type DeliveryTarget, type Reply } from '../../core/ports.js';
import { fill } from '../../core/text.js';
import { isEnglishSentence } from '../../core/lang.js';
import type { ChannelTexts } from '../channel-texts.js';
import { splitMessage, utf8Bytes } from '../split-message.js';
import { eventAction, messageAction } from './wecom-inbound.js';

/** A stream's content may be 20,480 bytes; an active markdown message 4,096. */
const STREAM_BYTES = 20_000;
const MARKDOWN_BYTES = 4_000;
/** WeCom lets a callback be answered on its own channel for a while; after that we push. */
const LIVE_MS = 5 * 60_000;
/** button_interaction cards hold at most six buttons */
const MAX_BUTTONS = 6;
/** what a button shows (WeCom advises at most ten characters) */
const BUTTON_CHARS = 10;
/** cards and open streams remembered (a press on an older card still works: its key is the value) */
const MAX_REMEMBERED = 2_000;

function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_REMEMBERED) map.delete(map.keys().next().value as K);
}

export interface WecomChannelDeps {
  config: WecomConfig;
  gateway: Gateway;
  feedback: FeedbackLog;
  texts: ChannelTexts;
  logger: Logger;
  /** how long each growth step of a streamed answer waits (the user sees it grow) */
  streamStepMs?: number;
}

export interface WecomChannel {
  client: WSClient;
  delivery: Delivery;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The user's message being answered: its frame (the passive channel) and the stream opened on it. */
interface Live {
  frame: WsFrame;
  streamId: string;
  at: number;
  /** the stream was finished: further replies are pushed as their own messages */
  used: boolean;
}

/**
 * The WeCom intelligent bot (企业微信智能机器人) over the official SDK's WebSocket long
 * connection (no public address needed). A message is recorded, then a stream is opened on it at
 * once ("正在查找相关条款……"); the answer grows into that stream paragraph by paragraph and
 * carries the feedback id (the message id, which the question log keeps too), so 👍/👎 land
 * next to the question. Choices are a button card (its press updates the card within WeCom's
 * 5 s and comes back as the choice's value); files are uploaded and sent as files; nudges and
 * replies after the stream are pushed as markdown messages.
 */
export function createWecomChannel(deps: WecomChannelDeps): WecomChannel {
  const { config, logger } = deps;
  const stepMs = deps.streamStepMs ?? 150;
  const client = new WSClient({
    botId: config.botId,
    secret: config.secret,
    ...(config.wsUrl ? { wsUrl: config.wsUrl } : {}),
    maxReconnectAttempts: -1, // a bot that gives up reconnecting is a bot that is down
    logger: sdkLogger(logger),
  });
  const live = new Map<string, Live>();
  const cards = new Map<string, { title: string; choices: Choice[] }>();

  const liveFor = (chatId: string): Live | undefined => {
    const l = live.get(chatId);
    return l && !l.used && Date.now() - l.at < LIVE_MS ? l : undefined;
  };

  const call = async <T>(work: () => Promise<T>): Promise<T> => {
    if (!client.isConnected) throw new DeliveryError('wecom not connected', 'retry', 5_000);
    try {
      return await work();
    } catch (e) {
      // the SDK rejects with the ack frame ({ errcode, errmsg }) or an Error (timeout, socket)
      const code = typeof e === 'object' && e !== null && 'errcode' in e ? Number((e as { errcode: unknown }).errcode) : undefined;
      if (code !== undefined && code >= 40000 && code < 50000) throw new DeliveryError(`wecom ${code}`, 'rejected');
      throw new DeliveryError(code === undefined ? errorMessage(e) : `wecom ${code}`, 'retry');
    }
  };

  const cardOf = (reply: Reply): TemplateCard | undefined => {
    const choices = reply.choices ?? [];
    if (choices.length === 0 || choices.length > MAX_BUTTONS) return undefined;
    const taskId = generateReqId('choice').replace(/[^A-Za-z0-9_\-@]/g, '_');
    const title = reply.text.split('\n').find((l) => l.trim())?.slice(0, 36) ?? '';
    remember(cards, taskId, { title, choices });
    // WeCom shows about ten characters on a button: the number leads, the text lists every choice in full
    const buttonText = (label: string, i: number): string => [...`${i + 1}. ${label}`].slice(0, BUTTON_CHARS).join('');
    return { card_type: 'button_interaction', main_title: { title }, button_list: choices.map((c, i) => ({ text: buttonText(c.label, i), key: c.value, style: 1 })), task_id: taskId };
  };

  /** the reply's text as shown: the choices numbered in full (a typed number works as well as a button) */
  const textOf = (reply: Reply): string => renderChoicesAsText(reply);

  /** the answer grows into the open stream: paragraph by paragraph, then finished (with the card) */
  const stream = async (l: Live, text: string, card: TemplateCard | undefined): Promise<void> => {
    const paragraphs = text.split(/(?<=\n\n)/);
    let shown = '';
    for (const [i, p] of paragraphs.entries()) {
      shown += p;
      const finish = i === paragraphs.length - 1;
      if (!finish) {
        await call(() => client.replyStream(l.frame, l.streamId, shown, false));
        await new Promise((r) => setTimeout(r, stepMs));
      } else if (card) await call(() => client.replyStreamWithCard(l.frame, l.streamId, shown, true, { templateCard: card }));
      else await call(() => client.replyStream(l.frame, l.streamId, shown, true));
    }
    l.used = true;
  };

  const sendFile = async (chatId: string, reply: Reply): Promise<void> => {
    const file = reply.file;
    if (!file) return;
    const uploaded = await call(() => client.uploadMedia(file.data, { type: 'file', filename: file.name }));
    await call(() => client.sendMediaMessage(chatId, 'file', uploaded.media_id));
  };

  /**
   * A reply is a list of steps, each reported to the outbox when done so a retry goes on from
   * the next: the text (one streamed step, or markdown messages), the choice card, the file.
   */
  const deliver = async (target: DeliveryTarget, reply: Reply, progress?: DeliveryProgress): Promise<void> => {
    const card = cardOf(reply);
    const text = textOf(reply);
    const parts = splitMessage(text, MARKDOWN_BYTES, utf8Bytes);
    const steps = parts.length + (card ? 1 : 0);
    let done = progress?.partsSent ?? 0;
    const l = target.unprompted ? undefined : liveFor(target.chatId);
    if (done === 0 && l && utf8Bytes(text) <= STREAM_BYTES) {
      await stream(l, text, card);
      done = steps;
      if (reply.file) await progress?.partSent(done);
    }
    for (; done < parts.length; done++) {
      const content = parts[done] ?? '';
      await call(() => client.sendMessage(target.chatId, { msgtype: 'markdown', markdown: { content } }));
      if (done + 1 < steps || reply.file) await progress?.partSent(done + 1);
    }
    if (card && done < steps) {
      await call(() => client.sendMessage(target.chatId, { msgtype: 'template_card', template_card: card }));
      if (reply.file) await progress?.partSent(steps);
    }
    await sendFile(target.chatId, reply);
  };

  const onMessage = async (frame: WsFrame): Promise<void> => {
    const action = messageAction(frame.body);
    if (action.kind !== 'message') return;
    const fresh = await deps.gateway.submit(action.message, action.platformId);
    if (!fresh) return;
    // the stream opens at once, so the user sees the bot at work; the answer replaces it
    const l: Live = { frame, streamId: generateReqId('stream'), at: Date.now(), used: false };
    remember(live, action.message.chatId, l);
    const lang = action.message.text && isEnglishSentence(action.message.text) ? 'en' : 'zh';
    await client.replyStream(frame, l.streamId, deps.texts[lang].thinking, false, undefined, { id: action.platformId });
  };

  const onEvent = async (frame: WsFrame): Promise<void> => {
    const action = eventAction(frame.body);
    switch (action.kind) {
      case 'welcome':
        await client.replyWelcome(frame, { msgtype: 'text', text: { content: deps.texts.zh.welcome } });
        return;
      case 'card': {
        const fresh = await deps.gateway.submit(action.message, action.platformId);
        const shown = cards.get(action.taskId);
        const label = shown?.choices.find((c) => c.value === action.key)?.label ?? action.key;
        // WeCom allows the card to be updated within 5 s of the press: it shows what was chosen
        await client.updateTemplateCard(frame, { card_type: 'text_notice', main_title: { title: shown?.title ?? '', desc: fill(deps.texts.zh.selected, { label }) }, task_id: action.taskId });
        cards.delete(action.taskId);
        if (!fresh) logger.debug('wecom card press seen before');
        return;
      }
      case 'feedback':
        await deps.feedback.record({ channel: 'wecom', userId: action.userId, messageId: action.feedbackId, rating: action.rating, reasons: action.reasons, ...(action.comment ? { comment: action.comment } : {}), at: new Date() });
        return;
      default:
        return;
    }
  };

  const guard =
    (what: string, handler: (frame: WsFrame) => Promise<void>) =>
    (frame: WsFrame): void => {
      handler(frame).catch((e: unknown) => logger.warn(`wecom ${what} not handled`, { error: errorMessage(e) }));
    };
  client.on('message', guard('message', onMessage));
  client.on('event', guard('event', onEvent));
  client.on('authenticated', () => logger.info('wecom bot connected'));
  client.on('disconnected', (reason) => logger.warn('wecom bot disconnected', { reason }));
  client.on('error', (e) => logger.warn('wecom bot error', { error: e.message }));

  return {
    client,
    delivery: { deliver },
    async start() {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('wecom: not authenticated within 15 s (check WECOM_BOT_ID / WECOM_BOT_SECRET)')), 15_000);
        client.once('authenticated', () => {
          clearTimeout(timer);
          resolve();
        });
        client.connect();
      });
    },
    async stop() {
      if (client.isConnected) client.disconnect();
    },
  };
}

/** The SDK's log lines carry message bodies at debug level: those never reach our log. */
function sdkLogger(logger: Logger): { debug(m: string): void; info(m: string): void; warn(m: string): void; error(m: string): void } {
  return {
    debug: () => undefined,
    info: (m) => logger.debug(`wecom sdk: ${m}`),
    warn: (m) => logger.warn(`wecom sdk: ${m}`),
    error: (m) => logger.error(`wecom sdk: ${m}`),
  };
}
