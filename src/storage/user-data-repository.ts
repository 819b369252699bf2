import type { UserDataStore } from '../core/pipeline-ports.js';
import type { UserKey } from '../core/profile.js';
import type { Sql } from './sql.js';
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
    private readonly sql: Sql,
    private readonly writes: Writes = immediateWrites(sql),
  ) {}

  async inventory(key: UserKey): Promise<Record<string, number>> {
    const counts: Array<[string, number]> = [];
    for (const { kind, table } of TABLES) counts.push([kind, (await this.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE channel = ? AND user_id = ?`, [key.channel, key.userId]))?.n ?? 0]);
    return Object.fromEntries(counts);
  }

  async forget(key: UserKey): Promise<void> {
    for (const { table } of TABLES) {
      await this.writes.write((sql) => sql.run(`DELETE FROM ${table} WHERE channel = ? AND user_id = ?`, [key.channel, key.userId]), { key: `forget\u0000${table}`, value: null });
    }
  }
}
