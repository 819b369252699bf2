import type { FeedbackLog } from '../core/pipeline-ports.js';
import { redactPersonalData } from '../core/redact.js';
import type { Sql } from './sql.js';

/**
 * Ratings of answers, keyed by the platform's id of the question's message (question_log.message_id
 * holds the same id, so a rating joins its question). A later rating of the same answer replaces
 * the earlier one (the user changed their mind or cancelled).
 */
export class FeedbackRepository implements FeedbackLog {
  constructor(private readonly sql: Sql) {}

  async record(entry: { channel: string; userId: string; messageId: string; rating: 'up' | 'down' | 'cancel'; reasons?: string[]; comment?: string; at: Date }): Promise<void> {
    await this.sql.run(
        `INSERT INTO answer_feedback (channel, user_id, message_id, rating, reasons, comment, given_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (channel, user_id, message_id) DO UPDATE SET rating = excluded.rating, reasons = excluded.reasons, comment = excluded.comment, given_at = excluded.given_at`,
      [entry.channel, entry.userId, entry.messageId, entry.rating, entry.reasons?.join(',') ?? null, entry.comment ? redactPersonalData(entry.comment) : null, entry.at.toISOString()],
    );
  }

}
