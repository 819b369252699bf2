import type { QuestionLog } from '../core/ports.js';
import { redactPersonalData } from '../core/redact.js';
import type { SqliteDatabase } from './database.js';
import { immediateWrites, type Writes } from './unit-of-work.js';

export interface QuestionStats {
  questions: number;
  refused: number;
  users: number;
}

/**
 * SQLite-backed question log: every question (phone, e-mail and ID numbers redacted before it is
 * written), whether it was refused, and its top citation. Entries older than the retention are
 * pruned as new ones arrive.
 */
export class QuestionLogRepository implements QuestionLog {
  private readonly insert;
  private written = 0;
  constructor(
    private readonly db: SqliteDatabase,
    private readonly writes: Writes = immediateWrites,
    private readonly retentionDays = 180,
  ) {
    this.insert = db.prepare('INSERT INTO question_log (channel, user_id, question, refused, top_citation, message_id, asked_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  }

  record(entry: { channel: string; userId: string; question: string; refused: boolean; topCitation?: string; messageId?: string; at: Date }): void {
    const question = redactPersonalData(entry.question);
    this.writes.write(() => {
      this.insert.run(entry.channel, entry.userId, question, entry.refused ? 1 : 0, entry.topCitation ?? null, entry.messageId ?? null, entry.at.toISOString());
      if (++this.written % 200 === 1) this.prune(entry.at);
    });
  }

  /** Removes entries older than the retention (QUESTION_LOG_DAYS); returns how many. */
  prune(now: Date): number {
    const cutoff = new Date(now.getTime() - this.retentionDays * 86_400_000).toISOString();
    return this.db.prepare('DELETE FROM question_log WHERE asked_at < ?').run(cutoff).changes;
  }

  stats(): QuestionStats {
    return this.db
      .prepare('SELECT COUNT(*) AS questions, COALESCE(SUM(refused), 0) AS refused, COUNT(DISTINCT channel || user_id) AS users FROM question_log')
      .get() as QuestionStats;
  }

  /** Recent refused questions for operators: redacted at write, shown without who asked. */
  unanswered(limit = 20): Array<{ question: string; askedAt: string }> {
    return (this.db.prepare('SELECT question, asked_at AS askedAt FROM question_log WHERE refused = 1 ORDER BY id DESC LIMIT ?').all(limit) as Array<{ question: string; askedAt: string }>).map((r) => ({
      question: redactPersonalData(r.question),
      askedAt: r.askedAt,
    }));
  }
}
