import path from 'node:path';
import pg from 'pg';
import { openPostgres } from '../../src/storage/postgres/postgres-sql.js';
import type { Sql } from '../../src/storage/sql.js';
import { openSqlite } from '../../src/storage/sqlite-sql.js';
import { tempDir } from './paths.js';

/** The PostgreSQL server tests use (the machine's, trust auth); TEST_DATABASE_URL overrides it. */
export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

let reachable: Promise<boolean> | undefined;
/** Whether a PostgreSQL server answers at TEST_DATABASE_URL (asked once per test file). */
export function postgresReachable(): Promise<boolean> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      process.stderr.write(`\n!! no PostgreSQL server at ${TEST_DATABASE_URL}: the PostgreSQL tests are skipped (start it, or set TEST_DATABASE_URL)\n`);
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return reachable;
}

/** A schema name no other test (or test run) uses. */
export const freshSchema = (): string => `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;

export interface TestDatabase {
  sql: Sql;
  /** closes it and removes what the test created */
  drop(): Promise<void>;
}

/** A fresh database of the given kind: a SQLite file in a temporary directory, or a schema of its own on PostgreSQL. */
export async function openTestDatabase(kind: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const sql = openSqlite(path.join(tempDir(), 'bot.sqlite'));
    return { sql, drop: () => sql.close() };
  }
  const schema = freshSchema();
  const sql = await openPostgres({ url: TEST_DATABASE_URL, schema, poolSize: 6 });
  return {
    sql,
    async drop() {
      await sql.run(`DROP SCHEMA ${schema} CASCADE`);
      await sql.close();
    },
  };
}
