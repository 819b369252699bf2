import { AppError, errorMessage } from './errors.js';
import type { Logger } from './logger.js';
import type { AtomicWrites, InboxEntry, InboxStore, OutboxItem, OutboxStore } from './pipeline-ports.js';
import type { Clock, IncomingMessage, Reply } from './ports.js';
import type { UserKey } from './profile.js';
import type { MessageRouter } from './router.js';
import { sleep, waitForStorage } from './wait-for-storage.js';

export interface PipelineDeps {
  router: MessageRouter;
  inbox: InboxStore;
  outbox: OutboxStore;
  atomic: AtomicWrites;
  clock: Clock;
  logger: Logger;
  /** messages handled per user per minute; beyond it the rest wait their turn (terminal: never) */
  perMinute: number;
  /** messages one user may have waiting; beyond it they are not kept and one notice says so */
  maxQueued: number;
  overflowNotice: string;
  errorReply: string;
  /** called when replies were written to the outbox */
  onOutbox(): void;
  /** this process, as the holder of the inbox rows it is handling (several processes may share the inbox) */
  owner: string;
  /** how long a claim on a message lasts: a process that died holding one is taken over after this */
  claimMs: number;
  /** how often to look for messages nobody is handling (recorded by another process, or left by a dead one) */
  sweepMs: number;
}

export interface MessagePipeline {
  /** records the message (resolves once it is durable); false for a re-delivered platform id */
  submit(message: IncomingMessage, platformId: string): Promise<boolean>;
  /** handles what was left in the inbox, then keeps looking for messages nobody is handling */
  resume(): void;
  /** resolves when this user has nothing waiting in the inbox */
  idle(key: UserKey): Promise<void>;
  /** stops taking messages; resolves when the ones being handled are committed */
  stop(): Promise<void>;
}

/** Commit failures other than a lock, before the message is answered with the error text instead. */
const MAX_COMMIT_FAILURES = 3;
const WINDOW_MS = 60_000;

/**
 * Inbox → router → outbox. A message is recorded before the channel acknowledges it; each user's
 * messages are handled one at a time, in order, while users run side by side; the state changes
 * of a handling, its replies and the inbox row's removal commit together, so a crash at any
 * point means the message is handled again, once, from the state before it.
 */
export function createMessagePipeline(deps: PipelineDeps): MessagePipeline {
  const active = new Set<string>();
  const handledAt = new Map<string, number[]>();
  const noticed = new Set<string>();
  const waiters = new Map<string, Array<() => void>>();
  const timers = new Set<NodeJS.Timeout>();
  // Messages are recorded in batches, one transaction (one fsync) for everything that arrived in
  // the same turn of the event loop (a getUpdates batch), batches one after another: order is
  // kept even while a lock is waited out.
  let batch: Array<{ message: IncomingMessage; platformId: string; done: (fresh: boolean) => void; failed: (e: unknown) => void }> = [];
  let recording: Promise<void> = Promise.resolve();
  let stopped = false;
  const id = (key: UserKey): string => `${key.channel}\u0000${key.userId}`;
  const userOf = (m: IncomingMessage): UserKey => ({ channel: m.channel, userId: m.userId });

  /** ms until this user may have another message handled (0: now). */
  const throttle = (key: UserKey): number => {
    if (key.channel === 'terminal') return 0;
    const now = deps.clock.now().getTime();
    const recent = (handledAt.get(id(key)) ?? []).filter((t) => now - t < WINDOW_MS);
    handledAt.set(id(key), recent);
    if (recent.length < deps.perMinute) return 0;
    return WINDOW_MS - (now - (recent[0] ?? now));
  };

  const toOutbox = (message: IncomingMessage, replies: Reply[]): OutboxItem[] => replies.map((reply) => ({ channel: message.channel, chatId: message.chatId, userId: message.userId, reply }));

  /** Handles one claimed message; false when another process took it over meanwhile. */
  const handle = async (entry: InboxEntry): Promise<boolean> => {
    const { message } = entry;
    for (let failures = 0; ; ) {
      try {
        return await deps.atomic.commit(entry.id, entry.claim, async () => toOutbox(message, await deps.router.handle(message)));
      } catch (e) {
        const busy = (e as { code?: unknown }).code === 'storage_busy';
        if (!busy) failures++;
        deps.logger.warn(busy ? 'database locked, handling the message again shortly' : 'committing a handled message failed', { channel: message.channel, error: errorMessage(e) });
        if (failures >= MAX_COMMIT_FAILURES) {
          // The handling cannot be stored: the user is told, the message is not kept looping.
          return waitForStorage(() => deps.atomic.commit(entry.id, entry.claim, async () => toOutbox(message, [{ text: deps.errorReply }])), deps.logger, 'error reply');
        }
        await sleep(busy ? 100 : 500 * failures);
      }
    }
  };

  const later = (key: UserKey, ms: number): void => {
    // Re-checked at least every second, so a clock moved by hand (tests) is noticed soon.
    const timer = setTimeout(() => {
      timers.delete(timer);
      drain(key);
    }, Math.min(Math.max(ms, 10), 1000));
    timers.add(timer);
  };

  const settle = (key: UserKey): void => {
    noticed.delete(id(key));
    for (const resolve of waiters.get(id(key)) ?? []) resolve();
    waiters.delete(id(key));
  };

  const drain = (key: UserKey): void => {
    if (stopped || active.has(id(key))) return;
    active.add(id(key));
    let waiting = false;
    void (async () => {
      try {
        for (;;) {
          // Yield to I/O between messages, so the platform's answers to deliveries are read
          // during a burst rather than after it.
          await new Promise((resolve) => setImmediate(resolve));
          if (stopped) return;
          const wait = throttle(key);
          if (wait > 0) {
            waiting = true;
            return later(key, wait);
          }
          const now = deps.clock.now();
          const entry = await waitForStorage(() => deps.inbox.claimNext(key, deps.owner, now, new Date(now.getTime() + deps.claimMs)), deps.logger, 'inbox read');
          if (!entry) {
            // Nothing left, or another process is handling this user: not looked at again until
            // the sweep finds the user free (and settles the waiters once it is done).
            if ((await deps.inbox.pendingCount(key)) === 0) settle(key);
            else waiting = true;
            return;
          }
          handledAt.get(id(key))?.push(now.getTime());
          inFlight++;
          const mine = await handle(entry).finally(() => inFlight--);
          deps.onOutbox();
          if (!mine) {
            waiting = true; // another process took this user over
            return;
          }
        }
      } catch (e) {
        deps.logger.error('inbox handling stopped, retrying', { error: errorMessage(e) });
        waiting = true;
        later(key, 1000);
      } finally {
        active.delete(id(key));
        // A message recorded while this drain was finishing found it still active: look again.
        if (!waiting && !stopped) void recheck(key);
      }
    })();
  };

  /** After a drain ends: a message recorded while it was finishing found it still active, so look again. */
  const recheck = async (key: UserKey): Promise<void> => {
    try {
      if ((await deps.inbox.pendingCount(key)) > 0) setImmediate(() => drain(key));
      else settle(key);
    } catch (e) {
      deps.logger.warn('inbox check failed, the sweep will look again', { error: errorMessage(e) });
    }
  };

  const recordBatch = async (): Promise<void> => {
    const items = batch;
    batch = [];
    if (items.length === 0) return;
    try {
      // Waiting messages per user, counting the ones queued earlier in this batch.
      const waiting = new Map<string, number>();
      const entries: Array<{ message: IncomingMessage; platformId: string; queue: boolean }> = [];
      for (const { message, platformId } of items) {
        const n = waiting.get(id(userOf(message))) ?? (await waitForStorage(() => deps.inbox.pendingCount(userOf(message)), deps.logger, 'inbox'));
        const queue = n < deps.maxQueued;
        waiting.set(id(userOf(message)), n + (queue ? 1 : 0));
        entries.push({ message, platformId, queue });
      }
      const fresh = await waitForStorage(() => deps.inbox.accept(entries, deps.clock.now()), deps.logger, 'inbox');
      entries.forEach((entry, i) => {
        items[i]?.done(fresh[i] === true);
        if (fresh[i]) afterRecord(entry.message, entry.queue).catch((e: unknown) => deps.logger.error('after recording a message', { error: errorMessage(e) }));
      });
    } catch (e) {
      for (const item of items) item.failed(e);
    }
  };

  const afterRecord = async (message: IncomingMessage, queued: boolean): Promise<void> => {
    const key = userOf(message);
    drain(key);
    // Whatever the platform held back for this user's next message (Official Account) may go now.
    if ((await waitForStorage(() => deps.outbox.release(key), deps.logger, 'outbox release')) > 0) deps.onOutbox();
    if (!queued && !noticed.has(id(key))) {
      noticed.add(id(key));
      await waitForStorage(() => deps.outbox.enqueue(toOutbox(message, [{ text: deps.overflowNotice }]), deps.clock.now()), deps.logger, 'overflow notice');
      deps.onOutbox();
    }
  };

  /**
   * Messages nobody is handling: recorded by another process (webhooks go to any process), or
   * claimed by one that died (its claims run out). Also settles this process's waiters for users
   * another process has answered.
   */
  const sweep = async (): Promise<void> => {
    if (stopped) return;
    try {
      for (const key of await deps.inbox.pendingUsers(deps.clock.now(), deps.owner)) drain(key);
      for (const key of [...waiters.keys()]) {
        const [channel = '', userId = ''] = key.split('\u0000');
        if (!active.has(key) && (await deps.inbox.pendingCount({ channel, userId })) === 0) settle({ channel, userId });
      }
    } catch (e) {
      deps.logger.warn('inbox sweep failed, trying again', { error: errorMessage(e) });
    }
  };

  let sweeper: NodeJS.Timeout | undefined;
  let inFlight = 0;

  return {
    submit(message, platformId) {
      if (stopped) return Promise.reject(new AppError('storage_busy', 'shutting down: not taking messages'));
      return new Promise<boolean>((done, failed) => {
        if (batch.length === 0) recording = recording.then(() => new Promise<void>((resolve) => setImmediate(() => void recordBatch().finally(resolve))));
        batch.push({ message, platformId, done, failed });
      });
    },
    resume() {
      void sweep();
      sweeper ??= setInterval(() => void sweep(), deps.sweepMs);
      sweeper.unref();
    },
    async idle(key) {
      // Nothing left in the inbox means every reply of this user's messages is in the outbox.
      if ((await deps.inbox.pendingCount(key)) === 0) return;
      return new Promise((resolve) => waiters.set(id(key), [...(waiters.get(id(key)) ?? []), resolve]));
    },
    async stop() {
      stopped = true;
      if (sweeper) clearInterval(sweeper);
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await recording;
      // A handling under way commits (its replies reach the outbox); the next message waits for
      // the next process, whose claim on it starts once this one's has run out or been released.
      while (inFlight > 0) await sleep(10);
    },
  };
}
