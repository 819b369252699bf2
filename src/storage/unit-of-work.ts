import { AsyncLocalStorage } from 'node:async_hooks';
import { AppError } from '../core/errors.js';
import type { AtomicWrites, OutboxItem } from '../core/pipeline-ports.js';
import type { Clock } from '../core/ports.js';
import type { InboxRepository } from './inbox-repository.js';
import type { OutboxRepository } from './outbox-repository.js';
import type { Sql } from './sql.js';

type Apply = (sql: Sql) => Promise<unknown>;

interface Unit {
  writes: Apply[];
  staged: Map<string, { value: unknown }>;
}

/**
 * Where repositories send their writes. Outside a unit a write happens at once; inside one
 * (the handling of one incoming message) it is kept, and what a repository staged is what it
 * reads back, until the unit commits: then every write, the outbox rows of the replies and the
 * inbox row's removal go to the database in one transaction. A crash before that commit leaves
 * no trace of the handling, so the message is handled again from the same state, once.
 */
export interface Writes {
  write(apply: Apply, stage?: { key: string; value: unknown }): Promise<void>;
  /** the value a write in the current unit left under key (null: deleted), if any */
  staged(key: string): { value: unknown } | undefined;
}

/** For repositories used without a unit of work (tests, CLIs): every write happens at once. */
export function immediateWrites(sql: Sql): Writes {
  return {
    write: async (apply) => {
      await apply(sql);
    },
    staged: () => undefined,
  };
}

export class UnitOfWork implements Writes, AtomicWrites {
  private readonly current = new AsyncLocalStorage<Unit>();
  constructor(
    private readonly sql: Sql,
    private readonly queues: { inbox: InboxRepository; outbox: OutboxRepository; clock: Clock },
  ) {}

  async write(apply: Apply, stage?: { key: string; value: unknown }): Promise<void> {
    const unit = this.current.getStore();
    if (!unit) {
      await apply(this.sql);
      return;
    }
    unit.writes.push(apply);
    if (stage) unit.staged.set(stage.key, { value: stage.value });
  }

  staged(key: string): { value: unknown } | undefined {
    return this.current.getStore()?.staged.get(key);
  }

  async commit(inboxId: number, claim: string, work: () => Promise<OutboxItem[]>): Promise<boolean> {
    const unit: Unit = { writes: [], staged: new Map() };
    const replies = await this.current.run(unit, work);
    // Outside the unit's context, so the writes below apply instead of being kept again. Not
    // fsynced: the message it handles is (inbox), so a power cut can only make it be handled
    // again; a killed process loses nothing committed either way.
    return this.current.exit(() =>
      this.sql
        .transaction(
          async (tx) => {
            // Another process took the message over (this one held it past its lease): its
            // handling counts, this one's is dropped with everything it wrote.
            if (!(await this.queues.inbox.completeIn(tx, inboxId, claim))) throw new AppError('claim_lost', 'the message was taken over by another process');
            for (const apply of unit.writes) await apply(tx);
            await this.queues.outbox.enqueueIn(tx, replies, this.queues.clock.now());
            return true;
          },
          { durable: false },
        )
        .catch((e: unknown) => {
          if ((e as { code?: unknown }).code === 'claim_lost') return false;
          throw e;
        }),
    );
  }
}
