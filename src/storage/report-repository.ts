import type { SqliteDatabase } from './database.js';

/** The period and place a report covers: ISO dates, both inclusive; region a province (optional). */
export interface ReportQuery {
  from: string;
  to: string;
  region?: string;
}

export interface OutcomeCounts {
  answered: number;
  notStated: number;
  notCovered: number;
}

/**
 * The demand report 指导意见（十五） asks offices to collect: what innovation entities asked, what
 * the documents answered and what they did not, and how institutions fare in the self-check
 * and registration. Counts and redacted question texts only: no user ids leave this class.
 */
export interface DemandReport {
  query: ReportQuery;
  totals: OutcomeCounts & { questions: number; smalltalk: number };
  weeks: Array<{ week: string } & OutcomeCounts>;
  programmes: Array<{ programme: string | null } & OutcomeCounts>;
  topics: Array<{ topic: string | null; questions: number; unanswered: number }>;
  clauses: Array<{ doc: string; article: string; citations: number }>;
  gaps: Array<{ topic: string | null; kind: string; count: number; examples: string[] }>;
  selfChecks: { started: number; finished: number; meets: number; fallsShort: number; exempt: number; shortOn: Array<{ programme: string | null; criterion: string; count: number }> };
  registrations: { started: number; drafts: number };
}

const OUTCOMES = `SUM(kind = 'answer') AS answered, SUM(kind = 'not_stated') AS notStated, SUM(kind = 'not_covered') AS notCovered`;
const EXAMPLES_PER_GAP = 5;

export class ReportRepository {
  constructor(private readonly db: SqliteDatabase) {}

  demandReport(q: ReportQuery): DemandReport {
    const where = `asked_at >= @from AND asked_at < @until AND kind IS NOT NULL${q.region ? ' AND region = @region' : ''}`;
    const params = { from: `${q.from}T00:00:00.000Z`, until: nextDay(q.to), ...(q.region ? { region: q.region } : {}) };
    const all = <T>(sql: string): T[] => this.db.prepare(sql).all(params) as T[];
    const totals = this.db.prepare(`SELECT COUNT(*) AS questions, ${OUTCOMES}, SUM(kind = 'smalltalk') AS smalltalk FROM question_log WHERE ${where}`).get(params) as DemandReport['totals'];
    const questions = `${where} AND kind <> 'smalltalk'`;
    const weeks = all<DemandReport['weeks'][number]>(`SELECT date(asked_at, 'weekday 0', '-6 days') AS week, ${OUTCOMES} FROM question_log WHERE ${questions} GROUP BY week ORDER BY week`);
    const programmes = all<DemandReport['programmes'][number]>(`SELECT programme, ${OUTCOMES} FROM question_log WHERE ${questions} GROUP BY programme ORDER BY COUNT(*) DESC`);
    const topics = all<DemandReport['topics'][number]>(`SELECT topic, COUNT(*) AS questions, SUM(kind <> 'answer') AS unanswered FROM question_log WHERE ${questions} GROUP BY topic ORDER BY questions DESC LIMIT 20`);
    const clauses = all<DemandReport['clauses'][number]>(
      `SELECT json_extract(c.value, '$.doc') AS doc, json_extract(c.value, '$.article') AS article, COUNT(*) AS citations
       FROM question_log, json_each(question_log.citations) AS c WHERE ${questions} AND citations IS NOT NULL GROUP BY doc, article ORDER BY citations DESC, doc, article LIMIT 10`,
    );
    const gapRows = all<{ topic: string | null; kind: string; question: string }>(`SELECT topic, kind, question FROM question_log WHERE ${questions} AND kind IN ('not_stated', 'not_covered') ORDER BY asked_at DESC`);
    return {
      query: q,
      totals: zeroed(totals),
      weeks: weeks.map(zeroed),
      programmes: programmes.map(zeroed),
      topics,
      clauses,
      gaps: groupGaps(gapRows),
      ...this.flows(q),
    };
  }

  private flows(q: ReportQuery): Pick<DemandReport, 'selfChecks' | 'registrations'> {
    const where = `at >= @from AND at < @until${q.region ? ' AND region = @region' : ''}`;
    const params = { from: `${q.from}T00:00:00.000Z`, until: nextDay(q.to), ...(q.region ? { region: q.region } : {}) };
    const count = (sql: string): number => (this.db.prepare(`SELECT COUNT(*) AS n FROM flow_events WHERE ${where} AND ${sql}`).get(params) as { n: number }).n;
    const shortRows = this.db.prepare(`SELECT programme, short_on AS shortOn FROM flow_events WHERE ${where} AND flow = 'self-check' AND verdict = 'falls_short'`).all(params) as Array<{ programme: string | null; shortOn: string | null }>;
    const shortOn = new Map<string, { programme: string | null; criterion: string; count: number }>();
    for (const r of shortRows) {
      for (const criterion of r.shortOn?.split(',') ?? []) {
        const k = `${r.programme ?? ''}\u0000${criterion}`;
        shortOn.set(k, { programme: r.programme, criterion, count: (shortOn.get(k)?.count ?? 0) + 1 });
      }
    }
    return {
      selfChecks: {
        started: count(`flow = 'self-check' AND event = 'started'`),
        finished: count(`flow = 'self-check' AND event = 'finished'`),
        meets: count(`flow = 'self-check' AND verdict = 'meets'`),
        fallsShort: count(`flow = 'self-check' AND verdict = 'falls_short'`),
        exempt: count(`flow = 'self-check' AND verdict = 'exempt'`),
        shortOn: [...shortOn.values()].sort((a, b) => b.count - a.count),
      },
      registrations: { started: count(`flow = 'register' AND event = 'started'`), drafts: count(`flow = 'register' AND verdict = 'draft'`) },
    };
  }

  /** the provinces questions were fitted to, for the report's region filter */
  regions(): string[] {
    return (this.db.prepare('SELECT DISTINCT region FROM question_log WHERE region IS NOT NULL UNION SELECT DISTINCT region FROM flow_events WHERE region IS NOT NULL ORDER BY 1').all() as Array<{ region: string }>).map((r) => r.region);
  }
}

function nextDay(isoDate: string): string {
  const d = new Date(`${isoDate}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}

/** SUM over no rows is NULL */
function zeroed<T extends object>(row: T): T {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null && k !== 'programme' && k !== 'topic' ? 0 : v])) as T;
}

function groupGaps(rows: Array<{ topic: string | null; kind: string; question: string }>): DemandReport['gaps'] {
  const groups = new Map<string, DemandReport['gaps'][number]>();
  for (const r of rows) {
    // what the documents do not cover at all has no clause, so no heading: one group
    const key = r.kind === 'not_covered' ? r.kind : `${r.kind}\u0000${r.topic ?? ''}`;
    const g = groups.get(key) ?? { topic: r.kind === 'not_covered' ? null : r.topic, kind: r.kind, count: 0, examples: [] };
    g.count++;
    if (g.examples.length < EXAMPLES_PER_GAP && !g.examples.includes(r.question)) g.examples.push(r.question);
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}
