import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { Answer } from '../answer/types.js';
import { loadConfig } from '../config/config.js';
import { createLogger } from '../core/logger.js';
import { isAppError } from '../core/errors.js';
import { createQaServices } from '../compose.js';

const batchLineSchema = z.object({ id: z.union([z.string(), z.number()]).transform(String), question: z.string().min(1) });

function toJson(answer: Answer): { answer: string; citations: Answer['citations']; refused: boolean } {
  return { answer: answer.answer, citations: answer.citations, refused: answer.refused };
}

/**
 * npm run --silent ask -- "问题"            prints the answer
 * npm run --silent ask -- --json "问题"     prints {"answer","citations":[{doc,title,article,quote}],"refused"}
 * npm run --silent ask -- --json --batch F  reads JSON lines {id, question}; prints one JSON line each, with id
 */
async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, batch: { type: 'string' } },
  });
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const { answers } = await createQaServices(config, logger);
  if (values.batch) {
    const lines = (await readFile(values.batch, 'utf8')).split('\n').filter((l) => l.trim());
    for (const [i, line] of lines.entries()) {
      const parsed = batchLineSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${values.batch}:${i + 1}: needs "id" and "question"`);
      const answer = await answers.answer(parsed.data.question);
      process.stdout.write(`${JSON.stringify({ id: parsed.data.id, ...toJson(answer) })}\n`);
    }
    return;
  }
  const question = positionals.join(' ').trim();
  if (!question) throw new Error('usage: npm run --silent ask -- [--json] "问题"  |  --json --batch FILE');
  const answer = await answers.answer(question);
  process.stdout.write(values.json ? `${JSON.stringify(toJson(answer))}\n` : `${answer.answer}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${isAppError(e) ? e.message : (e as Error).message}\n`);
  process.exit(1);
});
