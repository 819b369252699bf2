import type { ConsentStore } from '../core/pipeline-ports.js';
import type { UserKey } from '../core/profile.js';
import type { SqliteDatabase } from './database.js';

/** Consents to unprompted messages (WeChat subscription templates), one row per user and topic. */
export class ConsentRepository implements ConsentStore {
  constructor(private readonly db: SqliteDatabase) {}

  set(key: UserKey, topic: string, granted: boolean, at: Date): void {
    this.db
      .prepare('INSERT INTO consents (channel, user_id, topic, granted, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel, user_id, topic) DO UPDATE SET granted = excluded.granted, updated_at = excluded.updated_at')
      .run(key.channel, key.userId, topic, granted ? 1 : 0, at.toISOString());
  }

  state(key: UserKey, topic: string): 'granted' | 'refused' | 'unknown' {
    const row = this.db.prepare('SELECT granted FROM consents WHERE channel = ? AND user_id = ? AND topic = ?').get(key.channel, key.userId, topic) as { granted: number } | undefined;
    return row === undefined ? 'unknown' : row.granted === 1 ? 'granted' : 'refused';
  }

  use(key: UserKey, topic: string, at: Date): void {
    this.set(key, topic, false, at);
  }
}
