import type { Reply } from '../core/ports.js';
import type { SqliteDatabase } from './database.js';

/**
 * Messages a channel could not send unprompted (a WeChat Official Account may only reply
 * within its window): kept here and sent with the user's next message, then removed.
 */
export class OutboxRepository {
  constructor(private readonly db: SqliteDatabase) {}

  put(channel: string, userId: string, chatId: string, reply: Reply, now: Date): void {
    const stored = { text: reply.text, ...(reply.footer ? { footer: reply.footer } : {}) };
    this.db.prepare('INSERT INTO outbox (channel, user_id, chat_id, reply, created_at) VALUES (?, ?, ?, ?, ?)').run(channel, userId, chatId, JSON.stringify(stored), now.toISOString());
  }

  /** Takes (and deletes) everything waiting for a user, oldest first, in one transaction. */
  take(channel: string, userId: string): Reply[] {
    return this.db.transaction(() => {
      const rows = this.db.prepare('SELECT id, reply FROM outbox WHERE channel = ? AND user_id = ? ORDER BY id').all(channel, userId) as Array<{ id: number; reply: string }>;
      if (rows.length > 0) this.db.prepare('DELETE FROM outbox WHERE channel = ? AND user_id = ?').run(channel, userId);
      return rows.map((r) => JSON.parse(r.reply) as Reply);
    })();
  }
}
