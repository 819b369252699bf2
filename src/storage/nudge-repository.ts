import type { SqliteDatabase } from './database.js';

export type NudgeStatus = 'pending' | 'sent' | 'failed' | 'stale' | 'superseded' | 'cancelled';

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
 * Nudges in SQLite. The unique key (user, deadline, lead time) makes planning idempotent;
 * claim() marks a nudge sent in the transaction that takes it, so it is never sent twice.
 */
export class NudgeRepository {
  private readonly insertStmt;
  private readonly claimStmt;
  constructor(private readonly db: SqliteDatabase) {
    this.insertStmt = db.prepare(
      `INSERT OR IGNORE INTO nudges (channel, user_id, chat_id, deadline_key, lead_days, due_date, send_at, payload)
       VALUES (@channel, @userId, @chatId, @deadlineKey, @leadDays, @dueDate, @sendAt, @payload)`,
    );
    this.claimStmt = db.prepare(`UPDATE nudges SET status = 'sent', sent_at = ?, attempts = attempts + 1, late = ? WHERE id = ? AND status = 'pending'`);
  }

  /** Inserts the nudges not planned yet; returns how many were new. */
  plan(nudges: NewNudge[]): number {
    let added = 0;
    this.db.transaction(() => {
      for (const n of nudges) added += this.insertStmt.run(n).changes;
    })();
    return added;
  }

  /** Pending nudges whose time has come (and whose retry back-off has passed). */
  due(nowIso: string, limit = 1000): NudgeRow[] {
    return this.db
      .prepare(`SELECT ${COLUMNS} FROM nudges WHERE status = 'pending' AND send_at <= ? AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY send_at, id LIMIT ?`)
      .all(nowIso, nowIso, limit) as NudgeRow[];
  }

  /** Takes a nudge for sending: true only for the one caller that flipped it from pending to sent. */
  claim(id: number, nowIso: string, late: boolean): boolean {
    return this.db.transaction(() => this.claimStmt.run(nowIso, late ? 1 : 0, id).changes === 1)();
  }

  /** Delivery failed: back to pending with a later retry time, or failed for good. */
  release(id: number, nextAttemptIso: string | undefined): void {
    if (nextAttemptIso) this.db.prepare(`UPDATE nudges SET status = 'pending', sent_at = NULL, next_attempt_at = ? WHERE id = ?`).run(nextAttemptIso, id);
    else this.db.prepare(`UPDATE nudges SET status = 'failed' WHERE id = ?`).run(id);
  }

  mark(id: number, status: NudgeStatus): void {
    this.db.prepare('UPDATE nudges SET status = ? WHERE id = ? AND status = ?').run(status, id, 'pending');
  }

  /** Stops everything still pending for a user (/remind off, or dates changed). */
  cancelPending(channel: string, userId: string): number {
    return this.db.prepare(`UPDATE nudges SET status = 'cancelled' WHERE channel = ? AND user_id = ? AND status = 'pending'`).run(channel, userId).changes;
  }

  /** Re-planning after a change: pending rows are removed so the new plan can take their keys. */
  deletePending(channel: string, userId: string): void {
    this.db.prepare(`DELETE FROM nudges WHERE channel = ? AND user_id = ? AND status IN ('pending', 'cancelled')`).run(channel, userId);
  }

  sentFor(channel: string, userId: string): NudgeRow[] {
    return this.db.prepare(`SELECT ${COLUMNS} FROM nudges WHERE channel = ? AND user_id = ? AND status = 'sent' ORDER BY sent_at, id`).all(channel, userId) as NudgeRow[];
  }

  getState(key: string): string | undefined {
    return (this.db.prepare('SELECT value FROM scheduler_state WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  setState(key: string, value: string): void {
    this.db.prepare('INSERT INTO scheduler_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }
}
