import type { Reply } from '../core/ports.js';
import type { OutboxRepository } from './outbox-repository.js';
import { skipLocked, type Sql, type SqlValue } from './sql.js';
import { immediateWrites, type Writes } from './unit-of-work.js';

/** pending → queued (in the outbox) → sent (delivered) | failed; or stale / superseded / cancelled. */
export type NudgeStatus = 'pending' | 'queued' | 'sent' | 'failed' | 'stale' | 'superseded' | 'cancelled';

export interface NewNudge {
  channel: string;
  userId: string;
  chatId: string;
  deadlineKey: string;
  leadDays: number;
  dueDate: string;
  sendAt: string;
  payload: string;
}

export interface NudgeRow extends NewNudge {
  id: number;
  status: NudgeStatus;
  attempts: number;
  late: number;
}

const COLUMNS = 'id, channel, user_id AS "userId", chat_id AS "chatId", deadline_key AS "deadlineKey", lead_days AS "leadDays", due_date AS "dueDate", send_at AS "sendAt", status, attempts, late, payload';
/** `UPDATE nudges <set> WHERE id IN (…)` over the ids, a batch at a time. */
async function updateIds(tx: Sql, set: string, values: SqlValue[], ids: number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += PLAN_BATCH) {
    const batch = ids.slice(i, i + PLAN_BATCH);
    await tx.run(`UPDATE nudges ${set} WHERE id IN (${batch.map(() => '?').join(', ')})`, [...values, ...batch]);
  }
}

/** Rows per INSERT when planning (a year of 10,000 profiles is tens of thousands of rows). */
const PLAN_BATCH = 500;
const insertMany = (n: number): string => `INSERT INTO nudges (channel, user_id, chat_id, deadline_key, lead_days, due_date, send_at, payload) VALUES ${Array.from({ length: n }, () => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')} ON CONFLICT DO NOTHING`;

/**
 * Nudges. The unique key (user, deadline, lead time) makes planning idempotent, also when two
 * schedulers plan at once. A due nudge is claimed and queued into the outbox in one transaction
 * with its idempotency key (on PostgreSQL the rows are locked with SKIP LOCKED, so two
 * schedulers take different nudges and never wait for each other), and marked sent by the outbox
 * once delivered (at least once; docs/reliability.md names the duplicate window).
 */
export class NudgeRepository {
  constructor(
    private readonly sql: Sql,
    private readonly writes: Writes = immediateWrites(sql),
  ) {}

  /** Inserts the nudges not planned yet; returns how many were new (0 when kept for a unit's commit). */
  async plan(nudges: NewNudge[]): Promise<number> {
    let added = 0;
    // Not fsynced: a plan lost in a power cut is made again (planned_through goes back with it).
    await this.writes.write((sql) =>
      sql.transaction(
        async (tx) => {
          for (let i = 0; i < nudges.length; i += PLAN_BATCH) {
            const batch = nudges.slice(i, i + PLAN_BATCH);
            added += await tx.run(insertMany(batch.length), batch.flatMap((n) => [n.channel, n.userId, n.chatId, n.deadlineKey, n.leadDays, n.dueDate, n.sendAt, n.payload]));
          }
        },
        { durable: false },
      ),
    );
    return added;
  }

  /**
   * Takes due nudges and hands them to the outbox: `prepare` sees each pending due row (locked
   * for this scheduler) and says what to send, or marks it (stale, superseded) by returning a
   * status; each sent one is marked queued and written to the outbox under the key (channel,
   * user, deadline, lead) so none can be queued twice. All in one transaction; returns what it did.
   */
  async take(
    now: Date,
    limit: number,
    outbox: OutboxRepository,
    prepare: (rows: NudgeRow[]) => Array<{ row: NudgeRow } & ({ reply: Reply; late: boolean } | { status: 'stale' | 'superseded' })>,
  ): Promise<{ rows: number; queued: number; marked: Record<string, number> }> {
    const iso = now.toISOString();
    // Not fsynced: after a power cut the nudges are simply pending again and queued again.
    return this.sql.transaction(
      async (tx) => {
        const rows = await tx.all<NudgeRow>(
          `SELECT ${COLUMNS} FROM nudges WHERE status = 'pending' AND send_at <= ? AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY send_at, id LIMIT ? ${skipLocked(tx)}`,
          [iso, iso, limit],
        );
        const queued: Array<{ row: NudgeRow; reply: Reply; late: boolean }> = [];
        const byStatus = new Map<string, number[]>();
        for (const item of prepare(rows)) {
          if ('status' in item) byStatus.set(item.status, [...(byStatus.get(item.status) ?? []), item.row.id]);
          else queued.push(item);
        }
        // The rows are this transaction's (locked), so every one taken is pending: marked in batches.
        for (const [status, ids] of byStatus) await updateIds(tx, 'SET status = ?', [status], ids);
        for (const late of [0, 1]) await updateIds(tx, `SET status = 'queued', attempts = attempts + 1, late = ?`, [late], queued.filter((q) => (q.late ? 1 : 0) === late).map((q) => q.row.id));
        await outbox.enqueueIn(
          tx,
          queued.map(({ row, reply }) => ({ channel: row.channel, chatId: row.chatId, userId: row.userId, reply, unprompted: true, idemKey: `nudge:${row.channel}:${row.userId}:${row.deadlineKey}:${row.leadDays}`, nudgeId: row.id })),
          now,
        );
        return { rows: rows.length, queued: queued.length, marked: Object.fromEntries([...byStatus].map(([status, ids]) => [status, ids.length])) };
      },
      { durable: false },
    );
  }

  /** When the next pending nudge falls due (a lower bound), or undefined when none is pending. */
  async nextSendAt(): Promise<string | undefined> {
    return (await this.sql.get<{ t: string | null }>(`SELECT MIN(send_at) AS t FROM nudges WHERE status = 'pending'`))?.t ?? undefined;
  }

  /** Stops everything still pending for a user (/remind off, or dates changed). */
  async cancelPending(channel: string, userId: string): Promise<void> {
    await this.writes.write((sql) => sql.run(`UPDATE nudges SET status = 'cancelled' WHERE channel = ? AND user_id = ? AND status = 'pending'`, [channel, userId]));
  }

  /** Re-planning after a change: pending rows are removed so the new plan can take their keys. */
  async deletePending(channel: string, userId: string): Promise<void> {
    await this.writes.write((sql) => sql.run(`DELETE FROM nudges WHERE channel = ? AND user_id = ? AND status IN ('pending', 'cancelled')`, [channel, userId]));
  }

  sentFor(channel: string, userId: string): Promise<NudgeRow[]> {
    return this.sql.all<NudgeRow>(`SELECT ${COLUMNS} FROM nudges WHERE channel = ? AND user_id = ? AND status = 'sent' ORDER BY sent_at, id`, [channel, userId]);
  }

  async getState(key: string): Promise<string | undefined> {
    return (await this.sql.get<{ value: string }>('SELECT value FROM scheduler_state WHERE key = ?', [key]))?.value;
  }

  async setState(key: string, value: string): Promise<void> {
    await this.sql.run('INSERT INTO scheduler_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
  }
}
