import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError, errorMessage, isAppError } from '../core/errors.js';
import { ANSWER_FEEDBACK, consoleTables, CONSENTS, CONVERSATION_CONTEXT, nudgesTable, OFFERED_CHOICES, outboxTable, PROCESSED_UPDATES, PROFILES, SCHEDULER_STATE, SESSIONS } from './schema.js';

export type SqliteDatabase = Database.Database;

/** Schema migrations, applied in order; user_version records how far a file has come. */
const MIGRATIONS: string[] = [
  `CREATE TABLE question_log (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     channel TEXT NOT NULL,
     user_id TEXT NOT NULL,
     question TEXT NOT NULL,
     refused INTEGER NOT NULL,
     top_citation TEXT,
     asked_at TEXT NOT NULL
   );
   CREATE INDEX question_log_refused ON question_log(refused, asked_at);`,
  `${SESSIONS};
   ${PROFILES};`,
  `${nudgesTable('INTEGER PRIMARY KEY AUTOINCREMENT')};
   CREATE INDEX nudges_due ON nudges(status, send_at);
   ${SCHEDULER_STATE};`,
  `${PROCESSED_UPDATES};
   CREATE TABLE outbox (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     channel TEXT NOT NULL,
     user_id TEXT NOT NULL,
     chat_id TEXT NOT NULL,
     reply TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE INDEX outbox_user ON outbox(channel, user_id);`,
  `${CONVERSATION_CONTEXT};`,
  // Durable inbox and outbox (docs/reliability.md). The old outbox only held Official Account
  // nudges waiting for the user's next message: they become held rows of the new one.
  `CREATE TABLE inbox (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     channel TEXT NOT NULL,
     user_id TEXT NOT NULL,
     chat_id TEXT NOT NULL,
     message TEXT NOT NULL,
     received_at TEXT NOT NULL
   );
   CREATE INDEX inbox_user ON inbox(channel, user_id, id);
   DROP INDEX IF EXISTS outbox_user;
   ALTER TABLE outbox RENAME TO outbox_v1;
   ${outboxTable({ key: 'INTEGER PRIMARY KEY AUTOINCREMENT', ref: 'INTEGER' })};
   CREATE INDEX outbox_chat ON outbox(channel, chat_id, status, id);
   CREATE INDEX outbox_user ON outbox(channel, user_id);
   INSERT INTO outbox (channel, chat_id, user_id, reply, unprompted, status, created_at)
     SELECT channel, chat_id, user_id, reply, 1, 'held', created_at FROM outbox_v1 ORDER BY id;
   DROP TABLE outbox_v1;
   ${OFFERED_CHOICES};
   CREATE INDEX question_log_user ON question_log(channel, user_id);
   CREATE INDEX nudges_user ON nudges(channel, user_id);`,
  // WeChat Official Account and WeCom: feedback on an answer refers to the platform's message id;
  // subscription notifications need the user's consent per template.
  `ALTER TABLE question_log ADD COLUMN message_id TEXT;
   CREATE INDEX question_log_message ON question_log(channel, message_id);
   ${ANSWER_FEEDBACK};
   ${CONSENTS};`,
  // The operator console: what was answered and why (for the demand report and inspection),
  // self-check and registration outcomes without who (flow_events), operators and their sessions,
  // and who changed what (audit_log).
  `ALTER TABLE question_log ADD COLUMN kind TEXT;
   ALTER TABLE question_log ADD COLUMN programme TEXT;
   ALTER TABLE question_log ADD COLUMN topic TEXT;
   ALTER TABLE question_log ADD COLUMN region TEXT;
   ALTER TABLE question_log ADD COLUMN answer TEXT;
   ALTER TABLE question_log ADD COLUMN citations TEXT;
   ALTER TABLE question_log ADD COLUMN trace TEXT;
   CREATE INDEX question_log_time ON question_log(asked_at);
   ${consoleTables('INTEGER PRIMARY KEY')};`,
  // Inbox rows are claimed by the process handling them (several processes share PostgreSQL;
  // the same repositories run here).
  `ALTER TABLE inbox ADD COLUMN claimed_by TEXT;
   ALTER TABLE inbox ADD COLUMN claim_until TEXT;`,
];

/**
 * synchronous=FULL: with WAL, NORMAL already survives a killed process; FULL also survives a
 * power cut or kernel crash, which matters because a platform update is acknowledged as soon as
 * it is committed here. Measured cost: see docs/reliability.md.
 */
export const SYNCHRONOUS = 'FULL';
/**
 * How long one statement waits for another process's lock. Short on purpose: better-sqlite3
 * waits synchronously, so a long wait would freeze every chat; the callers that can meet a lock
 * (inbox, commit, outbox) retry asynchronously instead (AppError 'storage_busy').
 */
const BUSY_TIMEOUT_MS = 200;

/**
 * Opens (creating if needed) the SQLite file and brings its schema up to date.
 * WAL mode: readers never block the writer, and a crash loses no committed row.
 * @throws AppError('storage_failed') when the file cannot be opened or migrated.
 */
export function openDatabase(file: string): SqliteDatabase {
  let db: SqliteDatabase | undefined;
  try {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    db = new Database(file);
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${SYNCHRONOUS}`);
    db.pragma('foreign_keys = ON');
    checkIntegrity(db, file);
    cacheStatements(db);
    const open = db;
    const version = Number(open.pragma('user_version', { simple: true }));
    open.transaction(() => {
      MIGRATIONS.slice(version).forEach((sql) => open.exec(sql));
      open.pragma(`user_version = ${MIGRATIONS.length}`);
    })();
    return open;
  } catch (e) {
    db?.close();
    if (isAppError(e)) throw e;
    if (isCorruption(e)) throw corrupt(file, errorMessage(e));
    throw new AppError('storage_failed', `cannot open database ${file}: ${errorMessage(e)}`, { cause: e });
  }
}

/**
 * Repositories prepare their SQL where they use it; compiling it again on every message cost
 * 5 % of the CPU under load, so each distinct statement is compiled once per connection.
 * (Safe because no statement is iterated, plucked or bound persistently.)
 */
function cacheStatements(db: SqliteDatabase): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, ReturnType<typeof prepare>>();
  db.prepare = ((sql: string) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = prepare(sql);
      cache.set(sql, stmt);
    }
    return stmt;
  }) as typeof db.prepare;
}

/** quick_check reads every page: a damaged file is named at start, not met message by message. */
function checkIntegrity(db: SqliteDatabase, file: string): void {
  const rows = db.pragma('quick_check(5)') as Array<{ quick_check: string }>;
  const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
  if (problems.length > 0) throw corrupt(file, problems.join('; '));
}

function isCorruption(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT'));
}

function corrupt(file: string, detail: string): AppError {
  return new AppError(
    'storage_corrupt',
    `数据库文件已损坏 / database file is damaged: ${file} (${detail}). Stop the bot, keep a copy of the file, then restore it from a backup or run \`sqlite3 ${file} ".recover" | sqlite3 recovered.sqlite\` and put recovered.sqlite in its place; moving the file away starts the bot with no data.`,
  );
}

/** SQLITE_BUSY / SQLITE_LOCKED: another process holds the lock; the caller waits and tries again. */
function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || (typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code));
}

/** Runs a write; a lock held elsewhere becomes AppError('storage_busy') the core knows how to wait out. */
export function busyAware<T>(write: () => T): T {
  try {
    return write();
  } catch (e) {
    if (isBusy(e)) throw new AppError('storage_busy', `database is locked: ${errorMessage(e)}`, { cause: e });
    throw e;
  }
}
