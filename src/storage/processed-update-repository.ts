import type { SqliteDatabase } from './database.js';

/**
 * Update ids a channel has handled, so a platform re-delivering an update (Telegram after a
 * timeout or restart) does not get a second answer. Old ids are pruned after a week.
 */
export class ProcessedUpdateRepository {
  private readonly insert;
  private inserts = 0;
  constructor(private readonly db: SqliteDatabase) {
    this.insert = db.prepare('INSERT OR IGNORE INTO processed_updates (channel, update_id, seen_at) VALUES (?, ?, ?)');
  }

  /** True the first time an id is seen (and records it); false for a repeat. */
  firstSeen(channel: string, updateId: string, now = new Date()): boolean {
    const fresh = this.insert.run(channel, updateId, now.toISOString()).changes === 1;
    if (fresh && ++this.inserts % 1000 === 0) {
      this.db.prepare('DELETE FROM processed_updates WHERE seen_at < ?').run(new Date(now.getTime() - 7 * 86_400_000).toISOString());
    }
    return fresh;
  }
}
