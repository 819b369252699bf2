import type Database from 'better-sqlite3';
import { busyAware, openDatabase, SYNCHRONOUS, type SqliteDatabase } from './database.js';
import type { Sql, SqlValue } from './sql.js';

type Run = (text: string, params: SqlValue[]) => { rows: unknown[]; changes: number };

/**
 * The Sql port over one better-sqlite3 connection. Statements run synchronously, so a statement
 * issued while no transaction is open runs at once; while one is open (its work awaits between
 * statements) everything else waits for it to end, so nothing of another message's handling can
 * slip into it. A lock held by another process becomes AppError('storage_busy').
 */
export class SqliteSql implements Sql {
  readonly dialect = 'sqlite' as const;
  /** settles when the open transaction ends; undefined while none is open */
  private open: Promise<void> | undefined;
  private readonly exec: Run;
  private readonly inside: Sql;

  constructor(readonly db: SqliteDatabase) {
    this.exec = (text, params) =>
      busyAware(() => {
        const stmt: Database.Statement = db.prepare(text);
        if (stmt.reader) {
          const rows = stmt.all(...params);
          return { rows, changes: rows.length };
        }
        return { rows: [], changes: stmt.run(...params).changes };
      });
    this.inside = directSql(this.exec);
  }

  all<T>(text: string, params: SqlValue[] = []): Promise<T[]> {
    return this.whenFree(() => this.exec(text, params).rows as T[]);
  }

  get<T>(text: string, params: SqlValue[] = []): Promise<T | undefined> {
    return this.whenFree(() => this.exec(text, params).rows[0] as T | undefined);
  }

  run(text: string, params: SqlValue[] = []): Promise<number> {
    return this.whenFree(() => this.exec(text, params).changes);
  }

  async transaction<T>(work: (tx: Sql) => Promise<T>, options: { durable?: boolean } = {}): Promise<T> {
    while (this.open) await this.open;
    let release = (): void => {};
    this.open = new Promise<void>((resolve) => (release = resolve));
    const durable = options.durable !== false;
    try {
      if (!durable) this.db.pragma('synchronous = NORMAL');
      busyAware(() => this.db.exec('BEGIN IMMEDIATE'));
      try {
        const result = await work(this.inside);
        busyAware(() => this.db.exec('COMMIT'));
        return result;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw e;
      }
    } finally {
      if (!durable) this.db.pragma(`synchronous = ${SYNCHRONOUS}`);
      this.open = undefined;
      release();
    }
  }

  async ping(): Promise<boolean> {
    try {
      await this.get('SELECT 1 AS ok');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    while (this.open) await this.open;
    if (this.db.open) this.db.close();
  }

  /** Runs a statement now when no transaction is open, else once it has ended. */
  private whenFree<T>(f: () => T): Promise<T> {
    if (this.open) return this.open.then(() => this.whenFree(f));
    try {
      return Promise.resolve(f());
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }
}

/** Inside a transaction: statements run at once; a nested transaction is part of the open one. */
function directSql(exec: Run): Sql {
  const tx: Sql = {
    dialect: 'sqlite',
    all: async <T>(text: string, params: SqlValue[] = []) => exec(text, params).rows as T[],
    get: async <T>(text: string, params: SqlValue[] = []) => exec(text, params).rows[0] as T | undefined,
    run: async (text, params = []) => exec(text, params).changes,
    transaction: (work) => work(tx),
    ping: async () => true,
    close: async () => {},
  };
  return tx;
}

/** Opens (creating and migrating) the SQLite file behind the Sql port. */
export function openSqlite(file: string): SqliteSql {
  return new SqliteSql(openDatabase(file));
}
