import { z } from 'zod';
import type { OutboxItem, OutboxRow, OutboxStore } from '../core/pipeline-ports.js';
import type { Reply } from '../core/ports.js';
import type { UserKey } from '../core/profile.js';
import { busyAware, unsynced, type SqliteDatabase } from './database.js';

const storedReplySchema = z.object({
  text: z.string(),
  footer: z.string().optional(),
  lang: z.literal('en').optional(),
  choices: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
  file: z.object({ name: z.string(), mimeType: z.string(), base64: z.string() }).optional(),
  notice: z.object({ title: z.string(), due: z.string(), basis: z.string(), note: z.string() }).optional(),
});

function serialise(reply: Reply): string {
  const { file, ...rest } = reply;
  return JSON.stringify({ ...rest, ...(file ? { file: { name: file.name, mimeType: file.mimeType, base64: file.data.toString('base64') } } : {}) });
}

function deserialise(text: string): Reply {
  const parsed = storedReplySchema.parse(JSON.parse(text));
  const { file, footer, choices, lang, notice, ...rest } = parsed;
  return {
    ...rest,
    ...(notice === undefined ? {} : { notice }),
    ...(footer === undefined ? {} : { footer }),
    ...(lang === undefined ? {} : { lang }),
    ...(choices === undefined ? {} : { choices }),
    ...(file ? { file: { name: file.name, mimeType: file.mimeType, data: Buffer.from(file.base64, 'base64') } } : {}),
  };
}

interface Row {
  id: number;
  channel: string;
  chatId: string;
  userId: string;
  reply: string;
  idemKey: string | null;
  nudgeId: number | null;
  unprompted: number;
  attempts: number;
  partsSent: number;
  createdAt: string;
}

const COLUMNS = 'id, channel, chat_id AS chatId, user_id AS userId, reply, idem_key AS idemKey, nudge_id AS nudgeId, unprompted, attempts, parts_sent AS partsSent, created_at AS createdAt';

/**
 * The outbox in SQLite: replies in the order they were written, per chat. Rows are leased while
 * being delivered (an expired lease means the sender died: the row is delivered again), removed
 * when delivered, kept as failed when the platform refused for good.
 */
export class OutboxRepository implements OutboxStore {
  private readonly insert;
  constructor(private readonly db: SqliteDatabase) {
    this.insert = db.prepare(
      'INSERT OR IGNORE INTO outbox (channel, chat_id, user_id, reply, idem_key, nudge_id, unprompted, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
  }

  enqueue(items: OutboxItem[], at: Date): void {
    const write = (): void => {
      for (const i of items) this.insert.run(i.channel, i.chatId, i.userId, serialise(i.reply), i.idemKey ?? null, i.nudgeId ?? null, i.unprompted ? 1 : 0, at.toISOString());
    };
    if (this.db.inTransaction) write();
    else busyAware(() => this.db.transaction(write).immediate());
  }

  heads(now: Date, limit: number): OutboxRow[] {
    const iso = now.toISOString();
    const rows = this.db
      .prepare(
        `SELECT ${COLUMNS} FROM outbox WHERE id IN (
           SELECT MIN(id) FROM outbox WHERE status IN ('pending', 'held') GROUP BY channel, chat_id
         ) AND status = 'pending' AND (not_before IS NULL OR not_before <= ?) AND (lease_until IS NULL OR lease_until <= ?)
         ORDER BY id LIMIT ?`,
      )
      .all(iso, iso, limit) as Row[];
    return rows.map((r) => ({
      id: r.id,
      channel: r.channel,
      chatId: r.chatId,
      userId: r.userId,
      reply: deserialise(r.reply),
      ...(r.idemKey ? { idemKey: r.idemKey } : {}),
      ...(r.nudgeId === null ? {} : { nudgeId: r.nudgeId }),
      unprompted: r.unprompted === 1,
      attempts: r.attempts,
      partsSent: r.partsSent,
      createdAt: r.createdAt,
    }));
  }

  lease(id: number, now: Date, until: Date): boolean {
    const iso = now.toISOString();
    return this.bookkeeping(
      () =>
        this.db
          .prepare(`UPDATE outbox SET lease_until = ?, attempts = attempts + 1 WHERE id = ? AND status = 'pending' AND (lease_until IS NULL OR lease_until <= ?)`)
          .run(until.toISOString(), id, iso).changes === 1,
    );
  }

  partSent(id: number, parts: number): void {
    this.bookkeeping(() => this.db.prepare('UPDATE outbox SET parts_sent = ? WHERE id = ?').run(parts, id));
  }

  delivered(id: number, at: Date): void {
    this.bookkeeping(() =>
      this.db.transaction(() => {
        const row = this.db.prepare('SELECT nudge_id AS nudgeId FROM outbox WHERE id = ?').get(id) as { nudgeId: number | null } | undefined;
        this.db.prepare('DELETE FROM outbox WHERE id = ?').run(id);
        if (row?.nudgeId != null) this.db.prepare(`UPDATE nudges SET status = 'sent', sent_at = ? WHERE id = ?`).run(at.toISOString(), row.nudgeId);
      })(),
    );
  }

  retryAt(id: number, at: Date, error: string): void {
    this.bookkeeping(() => this.db.prepare('UPDATE outbox SET lease_until = NULL, not_before = ?, last_error = ? WHERE id = ?').run(at.toISOString(), error.slice(0, 500), id));
  }

  reject(id: number, error: string): void {
    busyAware(() =>
      this.db.transaction(() => {
        this.db.prepare(`UPDATE nudges SET status = 'failed' WHERE id = (SELECT nudge_id FROM outbox WHERE id = ?)`).run(id);
        this.db.prepare(`UPDATE outbox SET status = 'failed', lease_until = NULL, last_error = ? WHERE id = ?`).run(error.slice(0, 500), id);
      })(),
    );
  }

  failChat(channel: string, chatId: string, error: string): number {
    return busyAware(() =>
      this.db.transaction(() => {
        this.db.prepare(`UPDATE nudges SET status = 'failed' WHERE id IN (SELECT nudge_id FROM outbox WHERE channel = ? AND chat_id = ? AND status IN ('pending', 'held'))`).run(channel, chatId);
        return this.db.prepare(`UPDATE outbox SET status = 'failed', lease_until = NULL, last_error = ? WHERE channel = ? AND chat_id = ? AND status IN ('pending', 'held')`).run(error.slice(0, 500), channel, chatId).changes;
      })(),
    );
  }

  hold(id: number): void {
    this.bookkeeping(() => this.db.prepare(`UPDATE outbox SET status = 'held', lease_until = NULL WHERE id = ?`).run(id));
  }

  release(key: UserKey): number {
    return busyAware(() => this.db.prepare(`UPDATE outbox SET status = 'pending', unprompted = 0, not_before = NULL WHERE channel = ? AND user_id = ? AND status = 'held'`).run(key.channel, key.userId).changes);
  }

  pendingFor(channel: string, chatId: string): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE channel = ? AND chat_id = ? AND status = 'pending'`).get(channel, chatId) as { n: number }).n;
  }

  private bookkeeping<T>(write: () => T): T {
    return busyAware(() => unsynced(this.db, write));
  }

}
