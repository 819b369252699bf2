import { z } from 'zod';
import type { OutboxItem, OutboxRow, OutboxStore } from '../core/pipeline-ports.js';
import type { Reply } from '../core/ports.js';
import type { UserKey } from '../core/profile.js';
import type { Sql, SqlValue } from './sql.js';

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

const COLUMNS = 'id, channel, chat_id AS "chatId", user_id AS "userId", reply, idem_key AS "idemKey", nudge_id AS "nudgeId", unprompted, attempts, parts_sent AS "partsSent", created_at AS "createdAt"';
/** Rows per INSERT (a day's nudges for thousands of institutions are queued at once). */
const INSERT_BATCH = 200;
const insertMany = (n: number): string =>
  `INSERT INTO outbox (channel, chat_id, user_id, reply, idem_key, nudge_id, unprompted, created_at) VALUES ${Array.from({ length: n }, () => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')} ON CONFLICT DO NOTHING`;

/**
 * The outbox: replies in the order they were written, per chat. Rows are leased while being
 * delivered (an expired lease means the sender died: the row is delivered again, by whichever
 * process looks next), removed when delivered, kept as failed when the platform refused for good.
 * Delivery bookkeeping is not fsynced: losing it in a power cut can only send a reply twice.
 */
export class OutboxRepository implements OutboxStore {
  constructor(private readonly sql: Sql) {}

  async enqueue(items: OutboxItem[], at: Date): Promise<void> {
    await this.sql.transaction((tx) => this.enqueueIn(tx, items, at));
  }

  /** Writes the rows inside the caller's transaction (a handling's commit, a nudge's queueing). */
  async enqueueIn(tx: Sql, items: OutboxItem[], at: Date): Promise<void> {
    // A VALUES list is inserted in its order on both databases, so ids keep the order written.
    for (let i = 0; i < items.length; i += INSERT_BATCH) {
      const batch = items.slice(i, i + INSERT_BATCH);
      await tx.run(
        insertMany(batch.length),
        batch.flatMap((item) => [item.channel, item.chatId, item.userId, serialise(item.reply), item.idemKey ?? null, item.nudgeId ?? null, item.unprompted ? 1 : 0, at.toISOString()]),
      );
    }
  }

  async heads(now: Date, limit: number): Promise<OutboxRow[]> {
    const iso = now.toISOString();
    const rows = await this.sql.all<Row>(
      // The first waiting row of each chat (an index probe per candidate: the table may hold
      // many delivered rows not yet vacuumed on PostgreSQL).
      `SELECT ${COLUMNS} FROM outbox o WHERE status = 'pending' AND (not_before IS NULL OR not_before <= ?) AND (lease_until IS NULL OR lease_until <= ?)
       AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.channel = o.channel AND p.chat_id = o.chat_id AND p.status IN ('pending', 'held') AND p.id < o.id)
       ORDER BY id LIMIT ?`,
      [iso, iso, limit],
    );
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

  async lease(id: number, now: Date, until: Date): Promise<boolean> {
    const changed = await this.bookkeeping(`UPDATE outbox SET lease_until = ?, attempts = attempts + 1 WHERE id = ? AND status = 'pending' AND (lease_until IS NULL OR lease_until <= ?)`, [until.toISOString(), id, now.toISOString()]);
    return changed === 1;
  }

  async extendLease(id: number, held: Date, until: Date): Promise<boolean> {
    return (await this.bookkeeping('UPDATE outbox SET lease_until = ? WHERE id = ? AND lease_until = ?', [until.toISOString(), id, held.toISOString()])) === 1;
  }

  async partSent(id: number, parts: number): Promise<void> {
    await this.bookkeeping('UPDATE outbox SET parts_sent = ? WHERE id = ?', [parts, id]);
  }

  async delivered(id: number, at: Date): Promise<void> {
    await this.sql.transaction(
      async (tx) => {
        const row = await tx.get<{ nudgeId: number | null }>('DELETE FROM outbox WHERE id = ? RETURNING nudge_id AS "nudgeId"', [id]);
        if (row?.nudgeId != null) await tx.run(`UPDATE nudges SET status = 'sent', sent_at = ? WHERE id = ?`, [at.toISOString(), row.nudgeId]);
      },
      { durable: false },
    );
  }

  async retryAt(id: number, at: Date, error: string): Promise<void> {
    await this.bookkeeping('UPDATE outbox SET lease_until = NULL, not_before = ?, last_error = ? WHERE id = ?', [at.toISOString(), error.slice(0, 500), id]);
  }

  async reject(id: number, error: string): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.run(`UPDATE nudges SET status = 'failed' WHERE id = (SELECT nudge_id FROM outbox WHERE id = ?)`, [id]);
      await tx.run(`UPDATE outbox SET status = 'failed', lease_until = NULL, last_error = ? WHERE id = ?`, [error.slice(0, 500), id]);
    });
  }

  failChat(channel: string, chatId: string, error: string): Promise<number> {
    return this.sql.transaction(async (tx) => {
      await tx.run(`UPDATE nudges SET status = 'failed' WHERE id IN (SELECT nudge_id FROM outbox WHERE channel = ? AND chat_id = ? AND status IN ('pending', 'held'))`, [channel, chatId]);
      return tx.run(`UPDATE outbox SET status = 'failed', lease_until = NULL, last_error = ? WHERE channel = ? AND chat_id = ? AND status IN ('pending', 'held')`, [error.slice(0, 500), channel, chatId]);
    });
  }

  async hold(id: number): Promise<void> {
    await this.bookkeeping(`UPDATE outbox SET status = 'held', lease_until = NULL WHERE id = ?`, [id]);
  }

  release(key: UserKey): Promise<number> {
    return this.sql.run(`UPDATE outbox SET status = 'pending', unprompted = 0, not_before = NULL WHERE channel = ? AND user_id = ? AND status = 'held'`, [key.channel, key.userId]);
  }

  async pendingFor(channel: string, chatId: string): Promise<number> {
    return (await this.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM outbox WHERE channel = ? AND chat_id = ? AND status = 'pending'`, [channel, chatId]))?.n ?? 0;
  }

  private bookkeeping(text: string, params: SqlValue[]): Promise<number> {
    return this.sql.transaction((tx) => tx.run(text, params), { durable: false });
  }
}
