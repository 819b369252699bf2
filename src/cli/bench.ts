import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { loadConfig, type Config } from '../config/config.js';
import type { Answer } from '../answer/types.js';
import { silentLogger } from '../core/logger.js';
import { createQaServices } from '../compose.js';
import { evalItemSchema, readJsonl, scoreAnswers, type EvalItem } from './eval-set.js';
import { writeScaleCorpus } from './scale-corpus.js';
import { benchReport } from './bench-report.js';
import { benchRemindersOnPostgres, benchRemindersOnSqlite } from './bench-reminders.js';

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)] ?? 0;
}

const round = (n: number): number => Math.round(n * 10) / 10;

/** This run's working directory, removed on failure too (a scale corpus and its index are hundreds of megabytes). */
let workDir: string | undefined;

/**
 * npm run bench [-- --json] [--set FILE] [--docs N]: index build time (fresh data dir), index size,
 * query latency p50/p95 over the question set after a warm-up pass, start-up time of the bot (a
 * separate process) once the index exists, peak resident memory and the reminder simulation.
 * --docs N runs it on the scale corpus (scale-corpus.ts: the seed documents among N) and reports
 * the seed questions' article hit@3 there and on the seed corpus alone. With --json the last line
 * is one JSON object.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, set: { type: 'string' }, rounds: { type: 'string', default: '3' }, docs: { type: 'string' } } });
  const work = mkdtempSync(path.join(os.tmpdir(), 'ipbot-bench-'));
  workDir = work;
  const seedConfig = loadConfig({ ...process.env, DATA_DIR: path.join(work, 'seed-data'), LOG_LEVEL: 'silent' });
  const docs = values.docs === undefined ? undefined : Number(values.docs);
  if (docs !== undefined && !(Number.isInteger(docs) && docs >= 5)) throw new Error('--docs needs a whole number of documents, 5 or more');
  const scale = docs === undefined ? undefined : await writeScaleCorpus(seedConfig.corpusDir, path.join(work, 'corpus'), docs);
  const env = { ...process.env, DATA_DIR: path.join(work, 'data'), LOG_LEVEL: 'silent', ...(scale ? { CORPUS_DIR: scale.dir } : {}) };
  const config = loadConfig(env);

  const t0 = performance.now();
  const qa = await createQaServices(config, silentLogger);
  // Note: createQaServices also loads and verifies the programme data.
  const buildMs = performance.now() - t0;

  const items = await readJsonl(path.resolve(values.set ?? path.join('..', 'shared', 'eval', 'dev.jsonl')), evalItemSchema);
  const first: Answer[] = [];
  for (const item of items) first.push(await qa.answers.answer(item.question)); // warm-up, and the eval
  const times: number[] = [];
  for (let r = 0; r < Number(values.rounds); r++) {
    for (const item of items) {
      const s = performance.now();
      await qa.answers.answer(item.question);
      times.push(performance.now() - s);
    }
  }
  times.sort((a, b) => a - b);
  const hit3 = scoreAnswers(items, first).scores.article_hit_at_3;
  const hit3Small = scale ? await seedHit3(seedConfig, items) : hit3;

  // Start-up of the terminal bot with the index already on disk: start, read one command, exit.
  const s = performance.now();
  // With the heap cap npm start gives the bot (package.json), taken from this run's own flags.
  const heap = process.execArgv.filter((a) => a.startsWith('--max-old-space-size'));
  const start = spawnSync(process.execPath, [path.resolve('node_modules/tsx/dist/cli.mjs'), ...heap, 'src/main.ts'], { input: '/quit\n', env, encoding: 'utf8' });
  const startMs = performance.now() - s;
  if (start.status !== 0) throw new Error(`bot failed to start: ${start.stderr}`);

  const reminders = await benchRemindersOnSqlite(qa.catalog, config.dataDir);
  const remindersPg = await benchRemindersOnPostgres(qa.catalog, process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test');
  const report = await benchReport(config.dataDir, qa.catalog, qa.index.docs);

  const result = {
    embedder: qa.index.embedder.id,
    documents: qa.index.docs.length,
    corpus_mb: round((scale?.bytes ?? 0) / 1_048_576),
    chunks: qa.index.chunks.length,
    questions: items.length,
    build_ms: round(buildMs),
    index_mb: round(directoryBytes(path.join(config.dataDir, 'index')) / 1_048_576),
    query_p50_ms: round(percentile(times, 50)),
    query_p95_ms: round(percentile(times, 95)),
    query_max_ms: round(times[times.length - 1] ?? 0),
    start_to_ready_ms: round(startMs),
    seed_article_hit3: round3(hit3),
    seed_article_hit3_small: round3(hit3Small),
    reminders_profiles: reminders.profiles,
    reminders_simulated_days: reminders.days,
    reminders_ticks: reminders.ticks,
    reminders_sent: reminders.sent,
    reminders_ms: round(reminders.ms),
    reminders_rss_growth_mb: round(reminders.rssGrowthMb),
    reminders_pg_sent: remindersPg?.sent ?? 'no PostgreSQL reachable',
    reminders_pg_ms: remindersPg ? round(remindersPg.ms) : 'no PostgreSQL reachable',
    console_report_questions: report.questions,
    console_report_ms: round(report.ms),
    peak_rss_mb: round(process.resourceUsage().maxRSS / 1024),
  };
  if (!values.json) {
    for (const [k, v] of Object.entries(result)) console.log(`${k.padEnd(24)} ${v}`);
  }
  console.log(JSON.stringify(result));
  rmSync(work, { recursive: true, force: true });
}

/** The seed questions' article hit@3 on the seed corpus alone (its own index, built here). */
async function seedHit3(config: Config, items: EvalItem[]): Promise<number> {
  const qa = await createQaServices(config, silentLogger);
  const answers: Answer[] = [];
  for (const item of items) answers.push(await qa.answers.answer(item.question));
  return scoreAnswers(items, answers).scores.article_hit_at_3;
}

function directoryBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isFile() ? statSync(path.join(dir, e.name)).size : e.isDirectory() ? directoryBytes(path.join(dir, e.name)) : 0), 0);
}

const round3 = (n: number): number => Math.round(n * 1000) / 1000;

main().catch((e: unknown) => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  console.error((e as Error).message);
  process.exit(1);
});
