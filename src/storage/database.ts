import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../core/errors.js';

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
  `CREATE TABLE sessions (
     channel TEXT NOT NULL,
     user_id TEXT NOT NULL,
     state TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     PRIMARY KEY (channel, user_id)
   );
   CREATE TABLE profiles (
     channel TEXT NOT NULL,
     user_id TEXT NOT NULL,
     chat_id TEXT NOT NULL,
     data TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     PRIMARY KEY (channel, user_id)
   );`,
  `CREATE TABLE nudges (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     channel TEXT NOT NULL,
     user_id TEXT NOT NULL,
     chat_id TEXT NOT NULL,
     deadline_key TEXT NOT NULL,
     lead_days INTEGER NOT NULL,
     due_date TEXT NOT NULL,
     send_at TEXT NOT NULL,
     status TEXT NOT NULL DEFAULT 'pending',
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at TEXT,
     sent_at TEXT,
     late INTEGER NOT NULL DEFAULT 0,
     payload TEXT NOT NULL,
     UNIQUE (channel, user_id, deadline_key, lead_days)
   );
   CREATE INDEX nudges_due ON nudges(status, send_at);
   CREATE TABLE scheduler_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  `CREATE TABLE processed_updates (
     channel TEXT NOT NULL,
     update_id TEXT NOT NULL,
     seen_at TEXT NOT NULL,
     PRIMARY KEY (channel, update_id)
   );
   CREATE TABLE outbox (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     channel TEXT NOT NULL,
     user_id TEXT NOT NULL,
     chat_id TEXT NOT NULL,
     reply TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE INDEX outbox_user ON outbox(channel, user_id);`,
  `CREATE TABLE conversation_context (
     channel TEXT NOT NULL,
     user_id TEXT NOT NULL,
     context TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     PRIMARY KEY (channel, user_id)
   );`,
];

/**
 * Opens (creating if needed) the SQLite file and brings its schema up to date.
 * WAL mode: readers never block the writer, and a crash loses no committed row.
 * @throws AppError('storage_failed') when the file cannot be opened or migrated.
 */
export function openDatabase(file: string): SqliteDatabase {
  try {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    const version = Number(db.pragma('user_version', { simple: true }));
    db.transaction(() => {
      MIGRATIONS.slice(version).forEach((sql) => db.exec(sql));
      db.pragma(`user_version = ${MIGRATIONS.length}`);
    })();
    return db;
  } catch (e) {
    throw new AppError('storage_failed', `cannot open database ${file}: ${(e as Error).message}`, { cause: e });
  }
}
