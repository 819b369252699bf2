/** A value bound to a statement: both back ends store text, integers (0/1 for flags) and NULL. */
export type SqlValue = string | number | null;

export type Dialect = 'sqlite' | 'postgres';

/**
 * The one way repositories talk to their database, so the same repository code (and the same
 * repository tests) run on SQLite and on PostgreSQL. Statements use `?` placeholders and the SQL
 * both accept (ON CONFLICT … DO NOTHING / DO UPDATE, RETURNING, double-quoted aliases); where the
 * two differ, `dialect` picks (report date arithmetic, JSON, FOR UPDATE SKIP LOCKED).
 */
export interface Sql {
  readonly dialect: Dialect;
  all<T>(text: string, params?: SqlValue[]): Promise<T[]>;
  get<T>(text: string, params?: SqlValue[]): Promise<T | undefined>;
  /** runs a statement; resolves to the number of rows it changed */
  run(text: string, params?: SqlValue[]): Promise<number>;
  /**
   * Runs `work` in one transaction on one connection (what it does through `tx` commits or rolls
   * back together). `durable: false` lets the commit skip waiting for the disk: for bookkeeping
   * whose loss in a power cut can only repeat work, never lose it.
   * @throws AppError('storage_busy') when the database is locked or unreachable for now
   */
  transaction<T>(work: (tx: Sql) => Promise<T>, options?: { durable?: boolean }): Promise<T>;
  /** the database answers (health checks) */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** `FOR UPDATE SKIP LOCKED` where the database has it (SQLite: one writer at a time anyway). */
export const skipLocked = (sql: Sql): string => (sql.dialect === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '');
