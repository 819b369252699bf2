import type { QuestionLog } from '../core/ports.js';
import type { SqliteDatabase } from './database.js';

export interface QuestionStats {
  questions: number;
  refused: number;
  users: number;
}

/** SQLite-backed question log: every question, whether it was refused, and its top citation. */
export class QuestionLogRepository implements QuestionLog {
  private readonly insert;
  constructor(private readonly db: SqliteDatabase) {
    this.insert = db.prepare(
      'INSERT INTO question_log (channel, user_id, question, refused, top_citation, asked_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
  }

  record(entry: { channel: string; userId: string; question: string; refused: boolean; topCitation?: string; at: Date }): void {
    this.insert.run(entry.channel, entry.userId, entry.question, entry.refused ? 1 : 0, entry.topCitation ?? null, entry.at.toISOString());
  }

  stats(): QuestionStats {
    const row = this.db
      .prepare('SELECT COUNT(*) AS questions, COALESCE(SUM(refused), 0) AS refused, COUNT(DISTINCT channel || user_id) AS users FROM question_log')
      .get() as QuestionStats;
    return row;
  }

  unanswered(limit = 20): Array<{ question: string; askedAt: string }> {
    return this.db
      .prepare('SELECT question, asked_at AS askedAt FROM question_log WHERE refused = 1 ORDER BY id DESC LIMIT ?')
      .all(limit) as Array<{ question: string; askedAt: string }>;
  }
}
