import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConsoleTexts } from '../console/console-texts.js';
import { layout, reportPage } from '../console/pages.js';
import { reportNames, reportSections } from '../console/report-sections.js';
import type { PolicyDocument } from '../corpus/types.js';
import type { ProgrammeCatalog } from '../programmes/catalog.js';
import { seededRandom } from '../retrieval/linear-algebra.js';
import { openSqlite } from '../storage/sqlite-sql.js';
import { FlowEventRepository } from '../storage/flow-event-repository.js';
import { QuestionLogRepository } from '../storage/question-log-repository.js';
import { ReportRepository } from '../storage/report-repository.js';

const QUESTIONS = 5_000;
const ROUNDS = 5;

/**
 * The demand report over a month of 5,000 logged questions (and 600 dialogue events) in a real
 * SQLite file: query, sections, server-side SVG charts and the HTML page, as the console renders
 * it; the median of five renders.
 */
export async function benchReport(dataDir: string, catalog: ProgrammeCatalog, docs: PolicyDocument[]): Promise<{ questions: number; ms: number }> {
  const sql = openSqlite(path.join(dataDir, 'bench-report.sqlite'));
  const rand = seededRandom(11);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const clauses = docs.flatMap((d) => d.units.filter((u) => u.kind === 'article').map((u) => ({ doc: d.id, article: u.locator.label, topic: u.headingPath[u.headingPath.length - 1] })));
  const regions = ['广东省', '浙江省', '江苏省', '北京市', undefined];
  const start = Date.parse('2026-03-01T00:00:00Z');
  await sql.transaction(async (tx) => {
    const log = new QuestionLogRepository(tx);
    const flows = new FlowEventRepository(tx);
    for (let i = 0; i < QUESTIONS; i++) {
      const clause = pick(clauses);
      const kind = pick(['answer', 'answer', 'answer', 'answer', 'not_stated', 'not_covered', 'smalltalk']);
      const region = pick(regions);
      await log.record({
        channel: pick(['telegram', 'wechat-oa', 'wecom']),
        userId: `u${i % 900}`,
        question: `问题 ${i}：${clause.article}的要求是什么`,
        refused: kind !== 'answer' && kind !== 'smalltalk',
        kind,
        ...(kind === 'not_covered' ? {} : { topic: clause.topic ?? clause.article, programme: pick(catalog.programmes).id }),
        ...(region ? { region } : {}),
        ...(kind === 'answer' ? { citations: [{ doc: clause.doc, article: clause.article }] } : {}),
        at: new Date(start + Math.floor(rand() * 30 * 86_400_000)),
      });
    }
    for (let i = 0; i < 600; i++) {
      const programme = pick(catalog.programmes);
      const verdict = pick(['meets', 'falls_short', undefined]);
      await flows.record({ flow: pick(['self-check', 'register']), event: verdict ? 'finished' : 'started', programme: programme.id, ...(verdict ? { verdict } : {}), ...(verdict === 'falls_short' ? { shortOn: [pick(programme.criteria).id] } : {}), at: new Date(start + Math.floor(rand() * 30 * 86_400_000)) });
    }
  });
  const t = loadConsoleTexts().zh;
  const names = reportNames(catalog, () => docs);
  const reports = new ReportRepository(sql);
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const s = performance.now();
    const query = { from: '2026-03-01', to: '2026-03-31' };
    const sections = reportSections(await reports.demandReport(query), t, names);
    const ctx = { t, lang: 'zh' as const, csrf: 'x', operator: 'bench', path: '/report' };
    const page = layout(ctx, 'report', reportPage(ctx, 'report', query, await reports.regions(), sections));
    if (page.length < 1000) throw new Error('report page not rendered');
    times.push(performance.now() - s);
  }
  await sql.close();
  times.sort((a, b) => a - b);
  return { questions: QUESTIONS, ms: times[Math.floor(ROUNDS / 2)] ?? 0 };
}
