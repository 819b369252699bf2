import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { runTerminalChannel, terminalDelivery } from '../../src/channels/terminal.js';
import { createApp } from '../../src/compose.js';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Clock } from '../../src/core/ports.js';
import { CORPUS_DIR } from './paths.js';
import { runScript } from './run-cli.js';

/**
 * Runs the bot in the terminal with piped stdin, one message per line, exactly as a person
 * scripting `npm start` would, and returns everything it printed.
 */
export async function converse(dataDir: string, lines: string[], env: Record<string, string> = {}): Promise<string> {
  const r = await runScript('src/main.ts', [], { env: { DATA_DIR: dataDir, EMBEDDER: 'builtin', ...env }, stdin: `${lines.join('\n')}\n` });
  if (r.code !== 0) throw new Error(`bot exited with ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** The last reply block (replies are separated by a blank line). */
export function lastReply(stdout: string): string {
  const blocks = stdout.trim().split(/\n\n(?=\S)/);
  return blocks[blocks.length - 1] ?? '';
}

/** Everything from the last occurrence of a marker (a reply may itself contain blank lines). */
export function fromLast(stdout: string, marker: string): string {
  const i = stdout.lastIndexOf(marker);
  return i < 0 ? '' : stdout.slice(i);
}

/**
 * The same conversation through the terminal channel in this process, on a given clock: for
 * conversations whose replies depend on the date (deadlines), so no test depends on today.
 */
export async function converseAt(dataDir: string, lines: string[], clock: Clock, env: Record<string, string> = {}): Promise<string> {
  const config = loadConfig({ DATA_DIR: dataDir, CORPUS_DIR, EMBEDDER: 'builtin', ...env });
  const app = await createApp(config, silentLogger, { clock });
  let out = '';
  const output = new Writable({
    write(chunk: Buffer, _enc, done) {
      out += chunk.toString('utf8');
      done();
    },
  });
  app.connect('terminal', terminalDelivery(output, dataDir));
  await runTerminalChannel({ gateway: app.gateway, dataDir, input: Readable.from([`${lines.join('\n')}\n`]), output });
  await app.close();
  return out;
}

/** The answers of the terminal user's dialogue in progress, as stored in the SQLite file. */
export function storedAnswers(dataDir: string): Record<string, unknown> {
  const db = new Database(path.join(dataDir, 'bot.sqlite'), { readonly: true });
  const row = db.prepare(`SELECT state FROM sessions WHERE user_id = 'terminal-user'`).get() as { state: string } | undefined;
  db.close();
  return row ? (JSON.parse(row.state) as { answers: Record<string, unknown> }).answers : {};
}
