import type { Choice, IncomingMessage, Reply } from './ports.js';
import type { UserKey } from './profile.js';

/** One incoming message waiting in the inbox (recorded before the platform was acknowledged). */
export interface InboxEntry {
  id: number;
  message: IncomingMessage;
}

/** The durable inbox: messages recorded on receipt, removed when their handling commits. */
export interface InboxStore {
  /**
   * Records messages, in order, in one transaction, each under the platform's id for it; false
   * for an id recorded before (a re-delivered update). `queue: false` records the id only (a
   * message beyond the burst bound).
   * @throws AppError('storage_busy') while another process holds the database lock
   */
  accept(entries: Array<{ message: IncomingMessage; platformId: string; queue: boolean }>, at: Date): boolean[];
  /** the oldest message of this user not yet handled */
  next(key: UserKey): InboxEntry | undefined;
  pendingCount(key: UserKey): number;
  /** every user with messages waiting (after a restart) */
  pendingUsers(): UserKey[];
  /** removes a handled message; called inside the commit of its handling */
  complete(id: number): void;
}

/** What the outbox delivers: one reply to one chat, in the order written. */
export interface OutboxItem {
  channel: string;
  chatId: string;
  userId: string;
  reply: Reply;
  /** unprompted messages (nudges) may have to wait for the user on some platforms */
  unprompted?: boolean;
  /** a second item with the same key is ignored (a nudge is queued once) */
  idemKey?: string;
  nudgeId?: number;
}

export interface OutboxRow extends OutboxItem {
  id: number;
  attempts: number;
  /** parts of a long reply already delivered (a retry starts after them) */
  partsSent: number;
  createdAt: string;
}

export interface OutboxStore {
  /** called inside a commit, or on its own */
  enqueue(items: OutboxItem[], at: Date): void;
  /** the first undelivered row of every chat whose turn has come (not leased, not waiting) */
  heads(now: Date, limit: number): OutboxRow[];
  /** takes a row for delivery until `until`; false when another sender holds it */
  lease(id: number, now: Date, until: Date): boolean;
  partSent(id: number, parts: number): void;
  /** delivered: removed (and its nudge marked sent) */
  delivered(id: number, at: Date): void;
  retryAt(id: number, at: Date, error: string): void;
  /** this message can never be delivered (the platform rejected it): recorded, the chat goes on */
  reject(id: number, error: string): void;
  /** the chat is gone (bot blocked, chat deleted): its rows recorded as failed, no more retries */
  failChat(channel: string, chatId: string, error: string): number;
  /** the platform only lets this wait for the user's next message */
  hold(id: number): void;
  /** the user wrote: what was held for them may go now */
  release(key: UserKey): number;
  pendingFor(channel: string, chatId: string): number;
}

/** Runs one message's handling with every write kept back, then commits them with `commit`'s writes. */
export interface AtomicWrites {
  run<T>(work: () => Promise<T>, commit: (result: T) => void): Promise<T>;
}

/** Choices offered by the last reply, so "1" on a text-only channel means the first of them. */
export interface ChoiceMemory {
  get(key: UserKey): Choice[] | undefined;
  set(key: UserKey, choices: Choice[] | undefined, at: Date): void;
}

/** Everything stored about one user, for /forget. */
export interface UserDataStore {
  /** what would be deleted, by kind (profile, sessions, nudges, questions, ...) */
  inventory(key: UserKey): Record<string, number>;
  /** deletes it all (inside the commit of the /forget confirmation) */
  forget(key: UserKey): void;
}

/**
 * How a channel tells the sender what went wrong with a delivery. Anything else thrown is
 * treated as a network error (retried).
 * - retry: try again later (5xx, 429 with retryAfterMs, network)
 * - chat_gone: the bot was blocked or the chat deleted; stop trying for this chat
 * - rejected: this message can never be sent (e.g. malformed); drop it, go on with the chat
 * - deferred: the platform allows it only after the user's next message (Official Account)
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly kind: 'retry' | 'chat_gone' | 'rejected' | 'deferred',
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** What channels hand their incoming messages to. */
export interface Gateway {
  /**
   * Records the message durably; resolves once it is recorded (then, and only then, the
   * channel may acknowledge it to the platform). False for a re-delivered platform id.
   */
  submit(message: IncomingMessage, platformId: string): Promise<boolean>;
  /** resolves when this user's messages are handled and their replies delivered */
  settled(message: Pick<IncomingMessage, 'channel' | 'userId' | 'chatId'>): Promise<void>;
}

/**
 * A user's consent to unprompted messages where the platform asks for it (a WeChat 订阅通知
 * template the user accepted or rejected). Unknown until the platform tells; `once` consents are
 * used up by one message.
 */
export interface ConsentStore {
  set(key: UserKey, topic: string, granted: boolean, at: Date): void;
  state(key: UserKey, topic: string): 'granted' | 'refused' | 'unknown';
  /** a one-time consent was used: the next notification needs a new one */
  use(key: UserKey, topic: string, at: Date): void;
}

/** 👍/👎 on an answer, kept next to the question it answered (matched by the platform's message id). */
export interface FeedbackLog {
  record(entry: { channel: string; userId: string; messageId: string; rating: 'up' | 'down' | 'cancel'; reasons?: string[]; comment?: string; at: Date }): void;
}
