import type { Logger } from '../core/logger.js';
import type { UserKey } from '../core/profile.js';
import { flowStateSchema, type FlowState } from '../flows/flow-state.js';
import type { SqliteDatabase } from './database.js';

/** Dialogue state per user, as JSON validated on the way out (a corrupt row is dropped, logged). */
export class SessionRepository {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly logger: Logger,
  ) {}

  get(key: UserKey): FlowState | undefined {
    const row = this.db.prepare('SELECT state FROM sessions WHERE channel = ? AND user_id = ?').get(key.channel, key.userId) as { state: string } | undefined;
    if (!row) return undefined;
    const parsed = flowStateSchema.safeParse(JSON.parse(row.state));
    if (parsed.success) return parsed.data;
    this.logger.warn('dropping unreadable session', { channel: key.channel, issue: parsed.error.issues[0]?.message });
    this.clear(key);
    return undefined;
  }

  save(key: UserKey, state: FlowState): void {
    this.db
      .prepare('INSERT INTO sessions (channel, user_id, state, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(channel, user_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at')
      .run(key.channel, key.userId, JSON.stringify(state), state.updatedAt);
  }

  clear(key: UserKey): void {
    this.db.prepare('DELETE FROM sessions WHERE channel = ? AND user_id = ?').run(key.channel, key.userId);
  }
}
