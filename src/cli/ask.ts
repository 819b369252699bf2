import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { Answer } from '../answer/types.js';
import { loadConfig } from '../config/config.js';
import { createLogger } from '../core/logger.js';
import { errorMessage, isAppError } from '../core/errors.js';
import { createQaServices } from '../compose.js';
import { createConversation } from '../answer/conversation.js';

const batchLineSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  question: z.string().min(1),
  session: z.union([z.string(), z.number()]).transform(String).optional(),
});

/** The JSON contract: answer, citations, refused, kind and (for refusals that have them) nearest. */
export function toJson(answer: Answer): { answer: string; citations: Answer['citations']; refused: boolean; kind: Answer['kind']; nearest?: Answer['citations'] } {
  return { answer: answer.answer, citations: answer.citations, refused: answer.refused, kind: answer.kind, ...(answer.nearest ? { nearest: answer.nearest } : {}) };
}

/**
 * npm run --silent ask -- "问题"            prints the answer
 * npm run --silent ask -- --json "问题"     prints {"answer","citations":[{doc,title,article,quote}],"refused","kind"}
 * npm run --silent ask -- --json --batch F  reads JSON lines {id, question, session?}; prints one JSON line each, with id.
 *                                           Lines with the same session are one conversation, answered in order with context.
 */
async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, batch: { type: 'string' } },
  });
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const { answers } = await createQaServices(config, logger);
  const conversation = createConversation(answers);
  if (values.batch) {
    const lines = (await readFile(values.batch, 'utf8')).split('\n').filter((l) => l.trim());
    for (const [i, line] of lines.entries()) {
      const parsed = batchLineSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${values.batch}:${i + 1}: needs "id" and "question"`);
      const { id, question, session } = parsed.data;
      const answer = session === undefined ? await answers.answer(question) : await conversation.ask(session, question);
      process.stdout.write(`${JSON.stringify({ id, ...(session === undefined ? {} : { session }), ...toJson(answer) })}\n`);
    }
    return;
  }
  const question = positionals.join(' ').trim();
  if (!question) throw new Error('usage: npm run --silent ask -- [--json] "问题"  |  --json --batch FILE');
  const answer = await answers.answer(question);
  process.stdout.write(values.json ? `${JSON.stringify(toJson(answer))}\n` : `${answer.answer}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${isAppError(e) ? e.message : errorMessage(e)}\n`);
  process.exit(1);
});
