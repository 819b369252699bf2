import { errorMessage } from './errors.js';
import type { Logger } from './logger.js';
import { DeliveryError, type OutboxRow, type OutboxStore } from './pipeline-ports.js';
import type { Clock, Delivery } from './ports.js';
import { waitForStorage } from './wait-for-storage.js';

export interface SenderDeps {
  outbox: OutboxStore;
  /** by channel name; rows for a channel not connected wait until it is */
  deliveries: Map<string, Delivery>;
  clock: Clock;
  logger: Logger;
  /** how long a row is held by one delivery attempt; after that (a crash) it is delivered again */
  leaseMs?: number;
  /** deliveries in flight at once (different chats) */
  concurrency?: number;
  /** a row still undeliverable this long after it was written is given up (recorded as failed) */
  maxAgeMs?: number;
}

export interface OutboxSender {
  start(pollMs?: number): void;
  /** something was written: look now instead of at the next poll */
  notify(): void;
  /** resolves when this chat has nothing left to deliver */
  idle(channel: string, chatId: string): Promise<void>;
  /** delivers every row whose turn has come; resolves when none is left (rows waiting to retry later do not count) */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/** Back-off between attempts of one reply: short at first (most outages are brief), then up to 5 min. */
const BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15_000, 30_000, 60_000, 300_000];

/**
 * Delivers the outbox: per chat strictly in order (the next row waits until the one before it is
 * delivered or given up), chats side by side. Transient failures (5xx, network, 429) are retried
 * with back-off, honouring retry_after; a chat that is gone stops its retries; a message the
 * platform rejects is recorded and the chat goes on. Every attempt holds a lease, so a crash
 * mid-delivery means that row is delivered again after the lease runs out.
 */
export function createOutboxSender(deps: SenderDeps): OutboxSender {
  const leaseMs = deps.leaseMs ?? 60_000;
  const concurrency = deps.concurrency ?? 128;
  const maxAgeMs = deps.maxAgeMs ?? 86_400_000;
  const inFlight = new Map<string, Promise<void>>();
  const waiters: Array<{ channel: string; chatId: string; resolve: () => void }> = [];
  let timer: NodeJS.Timeout | undefined;
  let scheduled = false;
  let pumping = false;
  let again = false;
  let stopped = false;

  const chatOf = (row: { channel: string; chatId: string }): string => `${row.channel}\u0000${row.chatId}`;

  const resolveWaiters = async (): Promise<void> => {
    for (const w of [...waiters]) {
      if (inFlight.has(chatOf(w)) || (await deps.outbox.pendingFor(w.channel, w.chatId)) > 0) continue;
      const i = waiters.indexOf(w);
      if (i >= 0) waiters.splice(i, 1);
      w.resolve();
    }
  };
  const checkWaiters = (): void => {
    if (waiters.length > 0) resolveWaiters().catch((e: unknown) => deps.logger.warn('outbox check failed', { error: errorMessage(e) }));
  };

  const failed = async (row: OutboxRow, e: unknown): Promise<void> => {
    const now = deps.clock.now();
    const error = errorMessage(e);
    const kind = e instanceof DeliveryError ? e.kind : 'retry';
    if (kind === 'chat_gone') {
      const n = await deps.outbox.failChat(row.channel, row.chatId, error);
      deps.logger.warn('chat unreachable, its replies recorded as failed', { channel: row.channel, rows: n, error });
    } else if (kind === 'rejected') {
      await deps.outbox.reject(row.id, error);
      deps.logger.warn('reply rejected by the platform, recorded', { channel: row.channel, error });
    } else if (kind === 'deferred') {
      await deps.outbox.hold(row.id);
    } else if (now.getTime() - Date.parse(row.createdAt) > maxAgeMs) {
      await deps.outbox.reject(row.id, `gave up after ${row.attempts} attempts: ${error}`);
      deps.logger.error('reply undeliverable for too long, given up', { channel: row.channel, attempts: row.attempts, error });
    } else {
      const backoff = BACKOFF_MS[Math.min(row.attempts, BACKOFF_MS.length - 1)] ?? 60_000;
      // 429 says exactly when to come back; otherwise back off.
      const wait = e instanceof DeliveryError && e.retryAfterMs !== undefined ? e.retryAfterMs : backoff;
      await deps.outbox.retryAt(row.id, new Date(now.getTime() + wait), error);
      deps.logger.warn('delivery failed, will retry', { channel: row.channel, attempt: row.attempts + 1, waitMs: wait, error });
    }
  };

  /**
   * Renews a lease while its delivery is under way, so a slow platform call is not mistaken for a
   * dead sender (another process would send the row again, after the chat's next rows). Only a
   * sender that stopped renewing (it died) loses the row.
   */
  const keepLease = (id: number, first: Date): (() => void) => {
    let held = first;
    const timer = setInterval(() => {
      const until = new Date(deps.clock.now().getTime() + leaseMs);
      deps.outbox.extendLease(id, held, until).then(
        (kept) => {
          if (kept) held = until;
        },
        (e: unknown) => deps.logger.warn('outbox lease renewal failed', { error: errorMessage(e) }),
      );
    }, Math.max(leaseMs / 3, 50));
    timer.unref();
    return () => clearInterval(timer);
  };

  const deliverOne = async (row: OutboxRow, delivery: Delivery): Promise<void> => {
    const now = deps.clock.now();
    const until = new Date(now.getTime() + leaseMs);
    if (!(await waitForStorage(() => deps.outbox.lease(row.id, now, until), deps.logger, 'outbox lease'))) return;
    const release = keepLease(row.id, until);
    try {
      await delivery.deliver({ channel: row.channel, chatId: row.chatId, userId: row.userId, ...(row.unprompted ? { unprompted: true } : {}) }, row.reply, {
        partsSent: row.partsSent,
        partSent: (n) => waitForStorage(() => deps.outbox.partSent(row.id, n), deps.logger, 'outbox part sent'),
      });
      await waitForStorage(() => deps.outbox.delivered(row.id, deps.clock.now()), deps.logger, 'outbox delivered');
    } catch (e) {
      await waitForStorage(() => failed(row, e), deps.logger, 'outbox failure');
    } finally {
      release();
    }
  };

  const pump = async (): Promise<void> => {
    scheduled = false;
    if (stopped) return;
    const free = concurrency - inFlight.size;
    if (free <= 0) return;
    const heads = (await deps.outbox.heads(deps.clock.now(), concurrency + inFlight.size)).filter((r) => !inFlight.has(chatOf(r)) && deps.deliveries.has(r.channel));
    for (const row of heads.slice(0, free)) {
      const delivery = deps.deliveries.get(row.channel);
      if (!delivery) continue;
      const chat = chatOf(row);
      const run = deliverOne(row, delivery)
        .catch((e: unknown) => deps.logger.error('outbox delivery crashed', { error: errorMessage(e) }))
        .finally(() => {
          inFlight.delete(chat);
          api.notify();
          checkWaiters();
        });
      inFlight.set(chat, run);
    }
  };

  const api: OutboxSender = {
    start(pollMs = 250) {
      if (timer) return;
      timer = setInterval(() => api.notify(), pollMs);
      timer.unref();
      api.notify();
    },
    notify() {
      if (stopped) return;
      // One look at the outbox at a time: the deliveries that end while it runs are picked up by
      // the one look after it, not by one query each.
      if (scheduled || pumping) {
        again = true;
        return;
      }
      scheduled = true;
      setImmediate(() => {
        pumping = true;
        pump()
          .catch((e: unknown) => deps.logger.error('outbox pump failed', { error: errorMessage(e) }))
          .finally(() => {
            pumping = false;
            if (again) {
              again = false;
              api.notify();
            }
          });
      });
    },
    idle(channel, chatId) {
      return new Promise((resolve) => {
        waiters.push({ channel, chatId, resolve });
        checkWaiters();
        api.notify();
      });
    },
    async flush() {
      for (;;) {
        await pump();
        if (inFlight.size === 0) {
          const due = (await deps.outbox.heads(deps.clock.now(), 1000)).filter((r) => deps.deliveries.has(r.channel));
          if (due.length === 0 || stopped) return;
        }
        await Promise.race([...inFlight.values(), new Promise((resolve) => setTimeout(resolve, 5))]);
      }
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      await Promise.allSettled([...inFlight.values()]);
    },
  };
  return api;
}
