import type { OutboxStore } from '../core/pipeline-ports.js';
import type { Reply } from '../core/ports.js';
import { busyAware, unsynced, type SqliteDatabase } from './database.js';
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

const COLUMNS = 'id, channel, user_id AS userId, chat_id AS chatId, deadline_key AS deadlineKey, lead_days AS leadDays, due_date AS dueDate, send_at AS sendAt, status, attempts, late, payload';

/**
 * Nudges in SQLite. The unique key (user, deadline, lead time) makes planning idempotent. A due
 * nudge is queued into the outbox in one transaction with its idempotency key, and marked sent
 * by the outbox once delivered (at least once; docs/reliability.md names the duplicate window).
 */
export class NudgeRepository {
  private readonly insertStmt;
  private readonly takeStmt;
  constructor(
    private readonly db: SqliteDatabase,
    private readonly writes: Writes = immediateWrites,
  ) {
    this.insertStmt = db.prepare(
      `INSERT OR IGNORE INTO nudges (channel, user_id, chat_id, deadline_key, lead_days, due_date, send_at, payload)
       VALUES (@channel, @userId, @chatId, @deadlineKey, @leadDays, @dueDate, @sendAt, @payload)`,
    );
    this.takeStmt = db.prepare(`UPDATE nudges SET status = 'queued', attempts = attempts + 1, late = ? WHERE id = ? AND status = 'pending'`);
  }

  /** Inserts the nudges not planned yet; returns how many were new (0 when kept for a unit's commit). */
  plan(nudges: NewNudge[]): number {
    let added = 0;
    // Not fsynced: a plan lost in a power cut is made again (planned_through goes back with it).
    this.writes.write(() =>
      busyAware(() =>
        unsynced(this.db, () =>
          this.db.transaction(() => {
            for (const n of nudges) added += this.insertStmt.run(n).changes;
          })(),
        ),
      ),
    );
    return added;
  }

  /**
   * Hands due nudges to the outbox: each marked queued and written there, all in one transaction,
   * under the key (channel, user, deadline, lead) so none can be queued twice. Returns the ids
   * taken (a nudge no longer pending is left alone).
   */
  queue(items: Array<{ row: NudgeRow; reply: Reply; late: boolean }>, outbox: OutboxStore, now: Date): number[] {
    if (items.length === 0) return [];
    // Not fsynced: after a power cut the nudges are simply pending again and queued again.
    return busyAware(() =>
      unsynced(this.db, () =>
        this.db
          .transaction(() => {
            const taken: number[] = [];
            for (const { row, reply, late } of items) {
              if (this.takeStmt.run(late ? 1 : 0, row.id).changes !== 1) continue;
              const idemKey = `nudge:${row.channel}:${row.userId}:${row.deadlineKey}:${row.leadDays}`;
              outbox.enqueue([{ channel: row.channel, chatId: row.chatId, userId: row.userId, reply, unprompted: true, idemKey, nudgeId: row.id }], now);
              taken.push(row.id);
            }
            return taken;
          })
          .immediate(),
      ),
    );
  }

  /** Pending nudges whose time has come (and whose retry back-off has passed). */
  due(nowIso: string, limit = 1000): NudgeRow[] {
    return this.db
      .prepare(`SELECT ${COLUMNS} FROM nudges WHERE status = 'pending' AND send_at <= ? AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY send_at, id LIMIT ?`)
      .all(nowIso, nowIso, limit) as NudgeRow[];
  }

  /** When the next pending nudge falls due (a lower bound), or undefined when none is pending. */
  nextSendAt(): string | undefined {
    return (this.db.prepare(`SELECT MIN(send_at) AS t FROM nudges WHERE status = 'pending'`).get() as { t: string | null }).t ?? undefined;
  }

  mark(id: number, status: NudgeStatus): void {
    busyAware(() => this.db.prepare('UPDATE nudges SET status = ? WHERE id = ? AND status = ?').run(status, id, 'pending'));
  }

  /** Stops everything still pending for a user (/remind off, or dates changed). */
  cancelPending(channel: string, userId: string): void {
    this.writes.write(() => this.db.prepare(`UPDATE nudges SET status = 'cancelled' WHERE channel = ? AND user_id = ? AND status = 'pending'`).run(channel, userId));
  }

  /** Re-planning after a change: pending rows are removed so the new plan can take their keys. */
  deletePending(channel: string, userId: string): void {
    this.writes.write(() => this.db.prepare(`DELETE FROM nudges WHERE channel = ? AND user_id = ? AND status IN ('pending', 'cancelled')`).run(channel, userId));
  }

  sentFor(channel: string, userId: string): NudgeRow[] {
    return this.db.prepare(`SELECT ${COLUMNS} FROM nudges WHERE channel = ? AND user_id = ? AND status = 'sent' ORDER BY sent_at, id`).all(channel, userId) as NudgeRow[];
  }

  getState(key: string): string | undefined {
    return (this.db.prepare('SELECT value FROM scheduler_state WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  setState(key: string, value: string): void {
    busyAware(() => this.db.prepare('INSERT INTO scheduler_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value));
  }
}
