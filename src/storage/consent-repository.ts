import type { ConsentStore } from '../core/pipeline-ports.js';
import type { UserKey } from '../core/profile.js';
import type { Sql } from './sql.js';

/** Consents to unprompted messages (WeChat subscription templates), one row per user and topic. */
export class ConsentRepository implements ConsentStore {
  constructor(private readonly sql: Sql) {}

  async set(key: UserKey, topic: string, granted: boolean, at: Date): Promise<void> {
    await this.sql.run('INSERT INTO consents (channel, user_id, topic, granted, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel, user_id, topic) DO UPDATE SET granted = excluded.granted, updated_at = excluded.updated_at', [
      key.channel,
      key.userId,
      topic,
      granted ? 1 : 0,
      at.toISOString(),
    ]);
  }

  async state(key: UserKey, topic: string): Promise<'granted' | 'refused' | 'unknown'> {
    const row = await this.sql.get<{ granted: number }>('SELECT granted FROM consents WHERE channel = ? AND user_id = ? AND topic = ?', [key.channel, key.userId, topic]);
    return row === undefined ? 'unknown' : row.granted === 1 ? 'granted' : 'refused';
  }

  use(key: UserKey, topic: string, at: Date): Promise<void> {
    return this.set(key, topic, false, at);
  }
}
