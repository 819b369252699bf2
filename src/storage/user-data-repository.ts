import type { UserDataStore } from '../core/pipeline-ports.js';
import type { UserKey } from '../core/profile.js';
import type { SqliteDatabase } from './database.js';
import { immediateWrites, type Writes } from './unit-of-work.js';

/**
 * Every table that holds something of a user, by the name /forget reports it under; undelivered
 * replies in the outbox are the user's too. The inbox is not here: the /forget message itself
 * and anything the user sent after it are removed as they are handled, and deleting them here
 * would lose the later ones. A new table with user data must be added here (the forget test
 * checks every table of the schema for the user's id).
 */
const TABLES: Array<{ kind: string; table: string }> = [
  { kind: 'profile', table: 'profiles' },
  { kind: 'sessions', table: 'sessions' },
  { kind: 'conversation', table: 'conversation_context' },
  { kind: 'nudges', table: 'nudges' },
  { kind: 'questions', table: 'question_log' },
  { kind: 'choices', table: 'offered_choices' },
  { kind: 'outbox', table: 'outbox' },
  { kind: 'feedback', table: 'answer_feedback' },
  { kind: 'consents', table: 'consents' },
];

export class UserDataRepository implements UserDataStore {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly writes: Writes = immediateWrites,
  ) {}

  inventory(key: UserKey): Record<string, number> {
    return Object.fromEntries(
      TABLES.map(({ kind, table }) => [kind, (this.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE channel = ? AND user_id = ?`).get(key.channel, key.userId) as { n: number }).n]),
    );
  }

  forget(key: UserKey): void {
    for (const { table } of TABLES) {
      this.writes.write(() => this.db.prepare(`DELETE FROM ${table} WHERE channel = ? AND user_id = ?`).run(key.channel, key.userId), { key: `forget\u0000${table}`, value: null });
    }
  }
}
