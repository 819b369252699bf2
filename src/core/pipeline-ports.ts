import type { Choice, IncomingMessage, Reply } from './ports.js';
import type { UserKey } from './profile.js';

/** One incoming message waiting in the inbox (recorded before the platform was acknowledged). */
export interface InboxEntry {
  id: number;
  message: IncomingMessage;
  /** who holds it: the commit of its handling checks the claim is still this one */
  claim: string;
}

/** The durable inbox: messages recorded on receipt, removed when their handling commits. */
export interface InboxStore {
  /**
   * Records messages, in order, in one transaction, each under the platform's id for it; false
   * for an id recorded before (a re-delivered update, perhaps to another process). `queue: false`
   * records the id only (a message beyond the burst bound).
   * @throws AppError('storage_busy') while the database is locked or unreachable
   */
  accept(entries: Array<{ message: IncomingMessage; platformId: string; queue: boolean }>, at: Date): Promise<boolean[]>;
  /**
   * The oldest message of this user not yet handled, claimed for `owner` until `until`;
   * undefined when there is none or another live process holds it (one handler per user, so
   * a user's messages are handled in order even when several processes share the inbox).
   */
  claimNext(key: UserKey, owner: string, now: Date, until: Date): Promise<InboxEntry | undefined>;
  pendingCount(key: UserKey): Promise<number>;
  /** every user whose oldest message nobody else holds (after a restart, or a process that died) */
  pendingUsers(now: Date, owner: string): Promise<UserKey[]>;
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
  /** on its own (replies not from a handling: notices, error replies) */
  enqueue(items: OutboxItem[], at: Date): Promise<void>;
  /** the first undelivered row of every chat whose turn has come (not leased, not waiting) */
  heads(now: Date, limit: number): Promise<OutboxRow[]>;
  /** takes a row for delivery until `until`; false when another sender holds it */
  lease(id: number, now: Date, until: Date): Promise<boolean>;
  /** keeps a lease taken until `held` going until `until` (a slow delivery still under way); false when it is no longer this one */
  extendLease(id: number, held: Date, until: Date): Promise<boolean>;
  partSent(id: number, parts: number): Promise<void>;
  /** delivered: removed (and its nudge marked sent) */
  delivered(id: number, at: Date): Promise<void>;
  retryAt(id: number, at: Date, error: string): Promise<void>;
  /** this message can never be delivered (the platform rejected it): recorded, the chat goes on */
  reject(id: number, error: string): Promise<void>;
  /** the chat is gone (bot blocked, chat deleted): its rows recorded as failed, no more retries */
  failChat(channel: string, chatId: string, error: string): Promise<number>;
  /** the platform only lets this wait for the user's next message */
  hold(id: number): Promise<void>;
  /** the user wrote: what was held for them may go now */
  release(key: UserKey): Promise<number>;
  pendingFor(channel: string, chatId: string): Promise<number>;
}

/** Runs one message's handling with every write kept back, then commits them together. */
export interface AtomicWrites {
  /**
   * Runs `work` (the handling of the inbox row `inboxId`, held under `claim`), then commits its
   * writes, the replies it returns (as outbox rows) and the row's removal in one transaction.
   * False, with nothing written, when the claim was lost (another process handled the message).
   */
  commit(inboxId: number, claim: string, work: () => Promise<OutboxItem[]>): Promise<boolean>;
}

/** Choices offered by the last reply, so "1" on a text-only channel means the first of them. */
export interface ChoiceMemory {
  get(key: UserKey): Promise<Choice[] | undefined>;
  set(key: UserKey, choices: Choice[] | undefined, at: Date): Promise<void>;
}

/** Everything stored about one user, for /forget. */
export interface UserDataStore {
  /** what would be deleted, by kind (profile, sessions, nudges, questions, ...) */
  inventory(key: UserKey): Promise<Record<string, number>>;
  /** deletes it all (inside the commit of the /forget confirmation) */
  forget(key: UserKey): Promise<void>;
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
  set(key: UserKey, topic: string, granted: boolean, at: Date): Promise<void>;
  state(key: UserKey, topic: string): Promise<'granted' | 'refused' | 'unknown'>;
  /** a one-time consent was used: the next notification needs a new one */
  use(key: UserKey, topic: string, at: Date): Promise<void>;
}

/** 👍/👎 on an answer, kept next to the question it answered (matched by the platform's message id). */
export interface FeedbackLog {
  record(entry: { channel: string; userId: string; messageId: string; rating: 'up' | 'down' | 'cancel'; reasons?: string[]; comment?: string; at: Date }): Promise<void>;
}
