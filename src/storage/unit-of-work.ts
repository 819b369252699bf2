import { AsyncLocalStorage } from 'node:async_hooks';
import type { AtomicWrites } from '../core/pipeline-ports.js';
import { busyAware, unsynced, type SqliteDatabase } from './database.js';

interface Unit {
  writes: Array<() => void>;
  staged: Map<string, { value: unknown }>;
}

/**
 * Where repositories send their writes. Outside a unit a write happens at once; inside one
 * (the handling of one incoming message) it is kept, and what a repository staged is what it
 * reads back, until the unit commits: then every write, the outbox rows of the replies and the
 * inbox row's removal go to SQLite in one transaction. A crash before that commit leaves no
 * trace of the handling, so the message is handled again from the same state, once.
 */
export interface Writes {
  write(apply: () => void, stage?: { key: string; value: unknown }): void;
  /** the value a write in the current unit left under key (null: deleted), if any */
  staged(key: string): { value: unknown } | undefined;
}

/** For repositories used without a unit of work (tests, CLIs): every write happens at once. */
export const immediateWrites: Writes = {
  write: (apply) => apply(),
  staged: () => undefined,
};

export class UnitOfWork implements Writes, AtomicWrites {
  private readonly current = new AsyncLocalStorage<Unit>();
  constructor(private readonly db: SqliteDatabase) {}

  write(apply: () => void, stage?: { key: string; value: unknown }): void {
    const unit = this.current.getStore();
    if (!unit) {
      apply();
      return;
    }
    unit.writes.push(apply);
    if (stage) unit.staged.set(stage.key, { value: stage.value });
  }

  staged(key: string): { value: unknown } | undefined {
    return this.current.getStore()?.staged.get(key);
  }

  async run<T>(work: () => Promise<T>, commit: (result: T) => void): Promise<T> {
    const unit: Unit = { writes: [], staged: new Map() };
    const result = await this.current.run(unit, work);
    // Outside the unit's context, so the writes below apply instead of being kept again. Not
    // fsynced: the message it handles is (inbox), so a power cut can only make it be handled
    // again; a killed process loses nothing committed either way.
    this.current.exit(() =>
      busyAware(() =>
        unsynced(this.db, () =>
          this.db.transaction(() => {
            for (const apply of unit.writes) apply();
            commit(result);
          }).immediate(),
        ),
      ),
    );
    return result;
  }
}
