import type { Logger } from '../core/logger.js';
import type { UserKey } from '../core/profile.js';
import { flowStateSchema, type FlowState } from '../flows/flow-state.js';
import type { SqliteDatabase } from './database.js';
import { immediateWrites, type Writes } from './unit-of-work.js';

/** Dialogue state per user, as JSON validated on the way out (a corrupt row is dropped, logged). */
export class SessionRepository {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly logger: Logger,
    private readonly writes: Writes = immediateWrites,
  ) {}

  get(key: UserKey): FlowState | undefined {
    const staged = this.writes.staged(stageKey(key));
    if (staged) return (staged.value as FlowState | null) ?? undefined;
    const row = this.db.prepare('SELECT state FROM sessions WHERE channel = ? AND user_id = ?').get(key.channel, key.userId) as { state: string } | undefined;
    if (!row) return undefined;
    const parsed = flowStateSchema.safeParse(JSON.parse(row.state));
    if (parsed.success) return parsed.data;
    this.logger.warn('dropping unreadable session', { channel: key.channel, issue: parsed.error.issues[0]?.message });
    this.clear(key);
    return undefined;
  }

  save(key: UserKey, state: FlowState): void {
    const json = JSON.stringify(state);
    this.writes.write(
      () =>
        this.db
          .prepare('INSERT INTO sessions (channel, user_id, state, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(channel, user_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at')
          .run(key.channel, key.userId, json, state.updatedAt),
      { key: stageKey(key), value: JSON.parse(json) as unknown },
    );
  }

  clear(key: UserKey): void {
    this.writes.write(() => this.db.prepare('DELETE FROM sessions WHERE channel = ? AND user_id = ?').run(key.channel, key.userId), { key: stageKey(key), value: null });
  }
}

const stageKey = (key: UserKey): string => `session\u0000${key.channel}\u0000${key.userId}`;
