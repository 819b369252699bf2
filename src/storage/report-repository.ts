import type { Sql, SqlValue } from './sql.js';

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

const count = (condition: string): string => `SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
const OUTCOMES = `${count(`kind = 'answer'`)} AS answered, ${count(`kind = 'not_stated'`)} AS "notStated", ${count(`kind = 'not_covered'`)} AS "notCovered"`;

/** Where the two databases differ: the Monday of an ISO time's week, and the citations as rows. */
const DIALECT = {
  sqlite: {
    week: `date(asked_at, 'weekday 0', '-6 days')`,
    clauses: `SELECT json_extract(c.value, '$.doc') AS doc, json_extract(c.value, '$.article') AS article, COUNT(*) AS citations FROM question_log, json_each(question_log.citations) AS c`,
  },
  postgres: {
    week: `to_char(date_trunc('week', substr(asked_at, 1, 10)::date), 'YYYY-MM-DD')`,
    clauses: `SELECT c->>'doc' AS doc, c->>'article' AS article, COUNT(*) AS citations FROM question_log, jsonb_array_elements(question_log.citations::jsonb) AS c`,
  },
} as const;
const EXAMPLES_PER_GAP = 5;

export class ReportRepository {
  constructor(private readonly sql: Sql) {}

  async demandReport(q: ReportQuery): Promise<DemandReport> {
    const where = `asked_at >= ? AND asked_at < ? AND kind IS NOT NULL${q.region ? ' AND region = ?' : ''}`;
    const params: SqlValue[] = [`${q.from}T00:00:00.000Z`, nextDay(q.to), ...(q.region ? [q.region] : [])];
    const all = <T>(text: string): Promise<T[]> => this.sql.all<T>(text, params);
    const dialect = DIALECT[this.sql.dialect];
    const totals = await this.sql.get<DemandReport['totals']>(`SELECT COUNT(*) AS questions, ${OUTCOMES}, ${count(`kind = 'smalltalk'`)} AS smalltalk FROM question_log WHERE ${where}`, params);
    const questions = `${where} AND kind <> 'smalltalk'`;
    const weeks = await all<DemandReport['weeks'][number]>(`SELECT ${dialect.week} AS week, ${OUTCOMES} FROM question_log WHERE ${questions} GROUP BY week ORDER BY week`);
    const programmes = await all<DemandReport['programmes'][number]>(`SELECT programme, ${OUTCOMES} FROM question_log WHERE ${questions} GROUP BY programme ORDER BY COUNT(*) DESC`);
    const topics = await all<DemandReport['topics'][number]>(`SELECT topic, COUNT(*) AS questions, ${count(`kind <> 'answer'`)} AS unanswered FROM question_log WHERE ${questions} GROUP BY topic ORDER BY questions DESC LIMIT 20`);
    const clauses = await all<DemandReport['clauses'][number]>(`${dialect.clauses} WHERE ${questions} AND citations IS NOT NULL GROUP BY doc, article ORDER BY citations DESC, doc, article LIMIT 10`);
    const gapRows = await all<{ topic: string | null; kind: string; question: string }>(`SELECT topic, kind, question FROM question_log WHERE ${questions} AND kind IN ('not_stated', 'not_covered') ORDER BY asked_at DESC`);
    return {
      query: q,
      totals: zeroed(totals ?? { questions: 0, answered: 0, notStated: 0, notCovered: 0, smalltalk: 0 }),
      weeks: weeks.map(zeroed),
      programmes: programmes.map(zeroed),
      topics,
      clauses,
      gaps: groupGaps(gapRows),
      ...(await this.flows(q)),
    };
  }

  private async flows(q: ReportQuery): Promise<Pick<DemandReport, 'selfChecks' | 'registrations'>> {
    const where = `at >= ? AND at < ?${q.region ? ' AND region = ?' : ''}`;
    const params: SqlValue[] = [`${q.from}T00:00:00.000Z`, nextDay(q.to), ...(q.region ? [q.region] : [])];
    const rows = await this.sql.all<{ flow: string; event: string; verdict: string | null; n: number }>(`SELECT flow, event, verdict, COUNT(*) AS n FROM flow_events WHERE ${where} GROUP BY flow, event, verdict`, params);
    const tally = (flow: string, match: { event?: string; verdict?: string }): number =>
      rows.filter((r) => r.flow === flow && (match.event === undefined || r.event === match.event) && (match.verdict === undefined || r.verdict === match.verdict)).reduce((n, r) => n + r.n, 0);
    const shortRows = await this.sql.all<{ programme: string | null; shortOn: string | null }>(`SELECT programme, short_on AS "shortOn" FROM flow_events WHERE ${where} AND flow = 'self-check' AND verdict = 'falls_short'`, params);
    const shortOn = new Map<string, { programme: string | null; criterion: string; count: number }>();
    for (const r of shortRows) {
      for (const criterion of r.shortOn?.split(',') ?? []) {
        const k = `${r.programme ?? ''}\u0000${criterion}`;
        shortOn.set(k, { programme: r.programme, criterion, count: (shortOn.get(k)?.count ?? 0) + 1 });
      }
    }
    return {
      selfChecks: {
        started: tally('self-check', { event: 'started' }),
        finished: tally('self-check', { event: 'finished' }),
        meets: tally('self-check', { verdict: 'meets' }),
        fallsShort: tally('self-check', { verdict: 'falls_short' }),
        exempt: tally('self-check', { verdict: 'exempt' }),
        shortOn: [...shortOn.values()].sort((a, b) => b.count - a.count),
      },
      registrations: { started: tally('register', { event: 'started' }), drafts: tally('register', { verdict: 'draft' }) },
    };
  }

  /** the provinces questions were fitted to, for the report's region filter */
  async regions(): Promise<string[]> {
    return (await this.sql.all<{ region: string }>('SELECT DISTINCT region FROM question_log WHERE region IS NOT NULL UNION SELECT DISTINCT region FROM flow_events WHERE region IS NOT NULL ORDER BY 1')).map((r) => r.region);
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
