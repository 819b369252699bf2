import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.js';
import { createLogger } from '../core/logger.js';
import { createQaServices } from '../compose.js';
import { evalItemSchema, factRecallByCategory, readJsonl, scoreAnswers } from './eval-set.js';

/** npm run eval [-- --set FILE] [--json]: scores a question set and prints the failures. */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { set: { type: 'string' }, json: { type: 'boolean', default: false } } });
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const setFile = path.resolve(values.set ?? path.join('..', 'shared', 'eval', 'dev.jsonl'));
  const items = await readJsonl(setFile, evalItemSchema);
  const { answers } = await createQaServices(config, logger);
  const results = [];
  for (const item of items) results.push(await answers.answer(item.question));
  const { scores, failures } = scoreAnswers(items, results);
  const byCategory = factRecallByCategory(items, results);
  if (values.json) {
    console.log(JSON.stringify({ set: setFile, scores, fact_recall_by_category: byCategory, failures }));
    return;
  }
  console.log(`question set: ${setFile}`);
  for (const [k, v] of Object.entries(scores)) console.log(`${k.padEnd(20)} ${v}`);
  console.log('\nfact recall by category:');
  for (const [k, v] of Object.entries(byCategory)) console.log(`  ${k.padEnd(18)} ${v}`);
  console.log(`\nfailures (${failures.length}):`);
  for (const f of failures) console.log(`- ${f.id} ${f.question}\n    ${f.why.join('\n    ')}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
