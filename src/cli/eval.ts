import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../config/config.js';
import { createLogger } from '../core/logger.js';
import { createQaServices } from '../compose.js';
import { createConversation } from '../answer/conversation.js';
import type { AnswerService } from '../answer/answer-service.js';
import { evalItemSchema, factRecallByCategory, readJsonl, scoreAnswers } from './eval-set.js';
import { conversationSchema, scoreConversations } from './eval-conversations.js';

const DEFAULT_SETS = ['dev.jsonl', 'dev2.jsonl', 'conv-dev.jsonl'].map((f) => path.join('..', 'shared', 'eval', f));

/**
 * npm run eval [-- --set FILE …] [--json] [--no-lexicon]: scores each question set separately
 * (default: dev, dev2 and conv-dev) and prints the failures. A set of conversations ({turns: […]})
 * is played turn by turn with context and scored for first turns, follow-ups and small talk.
 * --no-lexicon runs on a copy of the corpus without lexicon/ (the ablation line of docs/retrieval.md).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { set: { type: 'string', multiple: true }, json: { type: 'boolean', default: false }, 'no-lexicon': { type: 'boolean', default: false } } });
  const base = loadConfig(process.env);
  const logger = createLogger(base.logLevel === 'info' ? 'warn' : base.logLevel);
  const { config, cleanup } = values['no-lexicon'] ? await withoutLexicon(base) : { config: base, cleanup: async () => {} };
  try {
    const { answers } = await createQaServices(config, logger);
    for (const set of values.set ?? DEFAULT_SETS) await scoreSet(path.resolve(set), answers, values.json);
  } finally {
    await cleanup();
  }
}

async function scoreSet(setFile: string, answers: AnswerService, json: boolean): Promise<void> {
  const firstLine = await readJsonl(setFile, conversationSchema.or(evalItemSchema)).then((rows) => rows[0]);
  if (firstLine && 'turns' in firstLine) {
    const conversations = await readJsonl(setFile, conversationSchema);
    const talk = createConversation(answers);
    const { scores, failures } = await scoreConversations(conversations, (session, say) => talk.ask(session, say));
    print(setFile, scores, {}, failures, json);
    return;
  }
  const items = await readJsonl(setFile, evalItemSchema);
  const results = [];
  for (const item of items) results.push(await answers.answer(item.question));
  const { scores, failures } = scoreAnswers(items, results);
  print(setFile, scores, factRecallByCategory(items, results), failures, json);
}

function print(set: string, scores: object, byCategory: Record<string, number>, failures: Array<{ id: string; question: string; why: string[] }>, json: boolean): void {
  if (json) {
    console.log(JSON.stringify({ set, scores, fact_recall_by_category: byCategory, failures }));
    return;
  }
  console.log(`question set: ${set}`);
  for (const [k, v] of Object.entries(scores)) console.log(`${k.padEnd(24)} ${String(v)}`);
  if (Object.keys(byCategory).length > 0) {
    console.log('\nfact recall by category:');
    for (const [k, v] of Object.entries(byCategory)) console.log(`  ${k.padEnd(18)} ${v}`);
  }
  console.log(`\nfailures (${failures.length}):`);
  for (const f of failures) console.log(`- ${f.id} ${f.question}\n    ${f.why.join('\n    ')}`);
  console.log('');
}

/** A copy of the corpus without its lexicon, with its own data dir, for the ablation run. */
async function withoutLexicon(config: Config): Promise<{ config: Config; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'eval-nolex-'));
  const corpusDir = path.join(dir, 'corpus');
  await cp(config.corpusDir, corpusDir, { recursive: true, filter: (src) => !src.includes(`${path.sep}lexicon`) });
  return { config: { ...config, corpusDir, dataDir: path.join(dir, 'data') }, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
