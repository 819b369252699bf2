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
