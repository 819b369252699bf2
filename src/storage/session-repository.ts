import type { Logger } from '../core/logger.js';
import type { UserKey } from '../core/profile.js';
import { flowStateSchema, type FlowState } from '../flows/flow-state.js';
import type { Sql } from './sql.js';
import { immediateWrites, type Writes } from './unit-of-work.js';

/** Dialogue state per user, as JSON validated on the way out (a corrupt row is dropped, logged). */
export class SessionRepository {
  constructor(
    private readonly sql: Sql,
    private readonly logger: Logger,
    private readonly writes: Writes = immediateWrites(sql),
  ) {}

  async get(key: UserKey): Promise<FlowState | undefined> {
    const staged = this.writes.staged(stageKey(key));
    if (staged) return (staged.value as FlowState | null) ?? undefined;
    const row = await this.sql.get<{ state: string }>('SELECT state FROM sessions WHERE channel = ? AND user_id = ?', [key.channel, key.userId]);
    if (!row) return undefined;
    const parsed = flowStateSchema.safeParse(JSON.parse(row.state));
    if (parsed.success) return parsed.data;
    this.logger.warn('dropping unreadable session', { channel: key.channel, issue: parsed.error.issues[0]?.message });
    await this.clear(key);
    return undefined;
  }

  async save(key: UserKey, state: FlowState): Promise<void> {
    const json = JSON.stringify(state);
    await this.writes.write(
      (sql) => sql.run('INSERT INTO sessions (channel, user_id, state, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (channel, user_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at', [key.channel, key.userId, json, state.updatedAt]),
      { key: stageKey(key), value: JSON.parse(json) as unknown },
    );
  }

  async clear(key: UserKey): Promise<void> {
    await this.writes.write((sql) => sql.run('DELETE FROM sessions WHERE channel = ? AND user_id = ?', [key.channel, key.userId]), { key: stageKey(key), value: null });
  }
}

const stageKey = (key: UserKey): string => `session\u0000${key.channel}\u0000${key.userId}`;
