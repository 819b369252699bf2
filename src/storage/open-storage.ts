import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Config } from '../config/config.js';
import type { Logger } from '../core/logger.js';
import { openPostgres } from './postgres/postgres-sql.js';
import type { Sql } from './sql.js';
import { openSqlite } from './sqlite-sql.js';

export interface Storage {
  sql: Sql;
  /**
   * Who this process is when it claims inbox rows. A SQLite file has one process, so a restarted
   * bot takes back what it held at once; on PostgreSQL each process is its own holder, and what a
   * dead one held is taken over when its claim runs out.
   */
  owner: string;
}

/** Opens the configured database (migrated): the SQLite file in DATA_DIR, or PostgreSQL. */
export async function openStorage(config: Config, logger: Logger): Promise<Storage> {
  if (config.database.kind === 'sqlite') return { sql: openSqlite(path.join(config.dataDir, 'bot.sqlite')), owner: 'sqlite' };
  const { url, schema, poolSize } = config.database;
  const sql = await openPostgres({ url, poolSize, ...(schema ? { schema } : {}), onIdleError: (e) => logger.warn('PostgreSQL connection lost while idle', { error: e.message }) });
  return { sql, owner: `pid${process.pid}-${randomUUID().slice(0, 8)}` };
}
