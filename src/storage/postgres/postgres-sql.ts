import pg from 'pg';
import { AppError, errorMessage } from '../../core/errors.js';
import type { Sql, SqlValue } from '../sql.js';
import { migratePostgres } from './migrations.js';

// COUNT(*), BIGINT ids and SUM come back as JavaScript numbers, as they do from SQLite (the
// counts here stay far below 2^53).
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

/** Codes that mean "not now" (lock contention, a restarting or unreachable server): the caller waits and retries. */
const TRANSIENT = new Set(['40001', '40P01', '55P03', '57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

function mapError(e: unknown): unknown {
  const code = (e as { code?: unknown }).code;
  const lost = /Connection terminated|connection timeout|Client has encountered a connection error/i.test(errorMessage(e));
  if ((typeof code === 'string' && TRANSIENT.has(code)) || lost) return new AppError('storage_busy', `database unavailable for now: ${errorMessage(e)}`, { cause: e });
  return e;
}

type Queryable = pg.Pool | pg.PoolClient;

/** `?` placeholders numbered for PostgreSQL ($1, $2 …); the statements here never hold a literal `?`. */
function numberPlaceholders(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

/**
 * Each distinct statement as a named prepared statement (parsed and planned once per
 * connection, as better-sqlite3 caches them), its `?` placeholders numbered.
 */
const statements = new Map<string, { name: string; text: string }>();
/** Beyond this many distinct statements (batch sizes, search filters vary) the rest go unnamed. */
const MAX_PREPARED = 2000;
function prepared(text: string): { name?: string; text: string } {
  const known = statements.get(text);
  if (known) return known;
  if (statements.size >= MAX_PREPARED) return { text: numberPlaceholders(text) };
  const out = { name: `s${statements.size + 1}`, text: numberPlaceholders(text) };
  statements.set(text, out);
  return out;
}

/** The Sql port over a PostgreSQL pool (several bot processes share one database). */
export class PostgresSql implements Sql {
  readonly dialect = 'postgres' as const;
  constructor(
    private readonly target: Queryable,
    private readonly pool: pg.Pool | undefined,
  ) {}

  async all<T>(text: string, params: SqlValue[] = []): Promise<T[]> {
    return (await this.query(text, params)).rows as T[];
  }

  async get<T>(text: string, params: SqlValue[] = []): Promise<T | undefined> {
    return (await this.query(text, params)).rows[0] as T | undefined;
  }

  async run(text: string, params: SqlValue[] = []): Promise<number> {
    return (await this.query(text, params)).rowCount ?? 0;
  }

  async transaction<T>(work: (tx: Sql) => Promise<T>, options: { durable?: boolean } = {}): Promise<T> {
    if (!this.pool) return work(this); // already inside one: part of it
    const client = await this.pool.connect().catch((e: unknown) => Promise.reject(mapError(e)));
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      if (options.durable === false) await client.query('SET LOCAL synchronous_commit TO OFF');
      const result = await work(new PostgresSql(client, undefined));
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
      throw mapError(e);
    } finally {
      client.release(broken);
    }
  }

  async ping(): Promise<boolean> {
    try {
      await this.query('SELECT 1', []);
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.pool?.end();
  }

  private async query(text: string, params: SqlValue[]): Promise<pg.QueryResult> {
    try {
      return await this.target.query({ ...prepared(text), values: params });
    } catch (e) {
      throw mapError(e);
    }
  }
}

export interface PostgresOptions {
  url: string;
  /** the schema the tables live in (created when missing); default: the server's search_path */
  schema?: string;
  poolSize?: number;
  onIdleError?(e: Error): void;
}

/**
 * Connects to PostgreSQL and brings the schema up to date (every process runs the migrations at
 * start; an advisory lock makes the others wait for the first).
 * @throws AppError('storage_failed') when the server cannot be reached or migrated
 */
export async function openPostgres(options: PostgresOptions): Promise<PostgresSql> {
  if (options.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema)) throw new AppError('storage_failed', `DATABASE_SCHEMA must be a plain lower-case identifier: ${options.schema}`);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // A connection dropped while idle in the pool must not take the process down.
  pool.on('error', (e) => options.onIdleError?.(e));
  try {
    await migratePostgres(pool, options.schema);
  } catch (e) {
    await pool.end().catch(() => {});
    throw new AppError('storage_failed', `cannot open PostgreSQL database: ${errorMessage(e)}`, { cause: e });
  }
  return new PostgresSql(pool, pool);
}
