import type { QuestionLog, QuestionLogEntry } from '../core/ports.js';
import { redactPersonalData } from '../core/redact.js';
import type { Sql, SqlValue } from './sql.js';
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
  private written = 0;
  constructor(
    private readonly sql: Sql,
    private readonly writes: Writes = immediateWrites(sql),
    private readonly retentionDays = 180,
  ) {}

  async record(entry: QuestionLogEntry): Promise<void> {
    const question = redactPersonalData(entry.question);
    // The answer quotes the documents; only what the user wrote back into it is redacted.
    const answer = entry.answer === undefined ? null : redactPersonalData(entry.answer);
    const json = (v: unknown): string | null => (v === undefined ? null : redactPersonalData(JSON.stringify(v)));
    const row: SqlValue[] = [entry.channel, entry.userId, question, entry.refused ? 1 : 0, entry.topCitation ?? null, entry.messageId ?? null, entry.kind ?? null, entry.programme ?? null, entry.topic ?? null, entry.region ?? null, answer, json(entry.citations), json(entry.trace), entry.at.toISOString()];
    await this.writes.write(async (sql) => {
      await sql.run('INSERT INTO question_log (channel, user_id, question, refused, top_citation, message_id, kind, programme, topic, region, answer, citations, trace, asked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', row);
      if (++this.written % 200 === 1) await this.pruneIn(sql, entry.at);
    });
  }

  /** Removes entries older than the retention (QUESTION_LOG_DAYS); returns how many. */
  prune(now: Date): Promise<number> {
    return this.pruneIn(this.sql, now);
  }

  private pruneIn(sql: Sql, now: Date): Promise<number> {
    return sql.run('DELETE FROM question_log WHERE asked_at < ?', [new Date(now.getTime() - this.retentionDays * 86_400_000).toISOString()]);
  }

  async stats(): Promise<QuestionStats> {
    const row = await this.sql.get<QuestionStats>(`SELECT COUNT(*) AS questions, COALESCE(SUM(refused), 0) AS refused, COUNT(DISTINCT channel || ':' || user_id) AS users FROM question_log`);
    return row ?? { questions: 0, refused: 0, users: 0 };
  }

  /** Recent refused questions for operators: redacted at write, shown without who asked. */
  async unanswered(limit = 20): Promise<Array<{ question: string; askedAt: string }>> {
    return (await this.sql.all<{ question: string; askedAt: string }>('SELECT question, asked_at AS "askedAt" FROM question_log WHERE refused = 1 ORDER BY id DESC LIMIT ?', [limit])).map((r) => ({
      question: redactPersonalData(r.question),
      askedAt: r.askedAt,
    }));
  }
}

export interface LoggedQuestion {
  id: number;
  channel: string;
  question: string;
  kind: string | null;
  askedAt: string;
  answer: string | null;
  citations: Array<{ doc: string; article: string }>;
  trace: unknown;
  topic: string | null;
  programme: string | null;
  /** the asker's rating of the answer (up / down / cancel) and the reasons they ticked */
  feedback: string | null;
  feedbackReasons: string | null;
}

export interface QuestionSearch {
  text?: string;
  from?: string;
  to?: string;
  channel?: string;
  kind?: string;
  limit?: number;
}

/** The question log for operators: searchable, one entry with its answer and why; never who asked. */
export class QuestionLogReader {
  constructor(private readonly sql: Sql) {}

  async search(q: QuestionSearch): Promise<LoggedQuestion[]> {
    const where: string[] = ['1 = 1'];
    const params: SqlValue[] = [];
    const add = (condition: string, value: string): void => {
      where.push(condition);
      params.push(value);
    };
    if (q.text) add(`q.question LIKE ? ESCAPE '\\'`, `%${q.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    if (q.from) add('q.asked_at >= ?', `${q.from}T00:00:00.000Z`);
    if (q.to) add('q.asked_at < ?', `${q.to}T23:59:59.999Z`);
    if (q.channel) add('q.channel = ?', q.channel);
    if (q.kind) add('q.kind = ?', q.kind);
    return (await this.sql.all<Row>(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY q.id DESC LIMIT ?`, [...params, q.limit ?? 100])).map(fromRow);
  }

  async get(id: number): Promise<LoggedQuestion | undefined> {
    const row = await this.sql.get<Row>(`${SELECT} WHERE q.id = ?`, [id]);
    return row ? fromRow(row) : undefined;
  }
}

const SELECT = `SELECT q.id, q.channel, q.question, q.kind, q.asked_at AS "askedAt", q.answer, q.citations, q.trace, q.topic, q.programme,
  f.rating AS feedback, f.reasons AS "feedbackReasons"
  FROM question_log q LEFT JOIN answer_feedback f ON f.channel = q.channel AND f.user_id = q.user_id AND f.message_id = q.message_id`;

interface Row extends Omit<LoggedQuestion, 'citations' | 'trace'> {
  citations: string | null;
  trace: string | null;
}

function fromRow(r: Row): LoggedQuestion {
  return { ...r, citations: r.citations ? (JSON.parse(r.citations) as LoggedQuestion['citations']) : [], trace: r.trace ? (JSON.parse(r.trace) as unknown) : undefined };
}
