/** The channels the core knows (user data is kept per channel). */
export const CHANNELS = ['terminal', 'telegram', 'wechat', 'wechat-oa', 'wecom'] as const;
export type ChannelName = (typeof CHANNELS)[number];

/** What every channel turns its platform events into. */
export interface IncomingMessage {
  channel: ChannelName;
  chatId: string;
  userId: string;
  kind: 'text' | 'sticker' | 'photo' | 'voice' | 'file' | 'other';
  text?: string;
  /** said in a group chat: nothing personal is shown there */
  group?: boolean;
  /** where the user can talk to the bot privately, + a command (Telegram: https://t.me/<bot>?start=) */
  privateLink?: string;
  /** the platform's id of this message, where feedback on its answer refers to it (WeCom) */
  messageId?: string;
}

export interface Choice {
  /** what the core receives back when the user picks it (buttons send this text) */
  value: string;
  label: string;
}

export interface OutgoingFile {
  name: string;
  mimeType: string;
  data: Buffer;
}

/**
 * What the core answers with; adapters turn it into platform calls. Channels with buttons
 * render `choices` as buttons; text-only channels use renderChoicesAsText.
 */
export interface Reply {
  text: string;
  choices?: Choice[];
  /** a short line shown after the choices (e.g. 可回复：返回 / 取消) */
  footer?: string;
  /** the language of the reply when it is not Chinese (the numbered-choice hint follows it) */
  lang?: 'en';
  file?: OutgoingFile;
  /**
   * The same message as a few short fields, for platforms that deliver unprompted messages only
   * as templated notifications (WeChat 订阅通知): what, when (ISO date), on what basis, what to do.
   */
  notice?: { title: string; due: string; basis: string; note: string };
}

/** Numbered options for channels without buttons ("回复 1 / 2 / 3", "Reply 1 / 2 / 3"). */
export function renderChoicesAsText(reply: Reply): string {
  const footer = reply.footer ? `\n${reply.footer}` : '';
  if (!reply.choices || reply.choices.length === 0) return `${reply.text}${footer}`;
  const list = reply.choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n');
  const numbers = reply.choices.length <= 4 ? reply.choices.map((_, i) => i + 1).join(' / ') : `1–${reply.choices.length}`;
  const hint = reply.lang === 'en' ? `(Reply ${numbers})` : `（回复 ${numbers}）`;
  return `${reply.text}\n${list}\n${hint}${footer}`;
}

/** Time is a port so schedules and expiry can be tested with a fake clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The question log the router writes before replying (for /stats and unanswered-question review). */
export interface QuestionLog {
  record(entry: QuestionLogEntry): Promise<void>;
}

export interface QuestionLogEntry {
  channel: string;
  userId: string;
  question: string;
  refused: boolean;
  topCitation?: string;
  messageId?: string;
  /** answer / not_stated / not_covered / smalltalk */
  kind?: string;
  /** what the report counts it under: the programme of the deciding document, the clause's heading */
  programme?: string;
  topic?: string;
  /** the province the answer was fitted to (the asker's or the one asked about) */
  region?: string;
  /** the reply and its citations (doc, locator), and why (operators' inspection) */
  answer?: string;
  citations?: Array<{ doc: string; article: string }>;
  trace?: unknown;
  at: Date;
}

/** Where a reply goes: the channel, the chat, the user. */
export interface DeliveryTarget {
  channel: string;
  chatId: string;
  userId: string;
  /** not an answer to something the user just said (a nudge) */
  unprompted?: boolean;
}

/** A reply a channel sends in several platform messages reports each one, so a retry skips them. */
export interface DeliveryProgress {
  partsSent: number;
  /** resolves once recorded (the next part goes only then, so a crash never repeats a part already recorded) */
  partSent(parts: number): Promise<void>;
}

/**
 * Every channel implements this; the outbox sender calls it for every reply, in order per chat.
 * Throw DeliveryError (pipeline-ports) to say whether and when to retry.
 */
export interface Delivery {
  deliver(target: DeliveryTarget, reply: Reply, progress?: DeliveryProgress): Promise<void>;
}
