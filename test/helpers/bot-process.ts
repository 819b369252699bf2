import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './paths.js';

export interface BotProcess {
  child: ChildProcess;
  stderr(): string;
  /** kill -9: no shutdown handler runs */
  kill9(): Promise<void>;
  /** SIGTERM and wait for exit */
  stop(): Promise<number | null>;
}

/**
 * The bot as a real child process (src/main.ts under tsx, as npm start runs it), resolved once the
 * log says `readyLine`. Used where a test must kill it with SIGKILL.
 */
export function startBotProcess(env: Record<string, string>, readyLine = 'channel ready', timeoutMs = 60_000, nodeArgs: string[] = []): Promise<BotProcess> {
  // tsx's loader in the bot's own node process: the tsx CLI would put a wrapper process in
  // between, and SIGKILL to the wrapper leaves the real bot running.
  const tsx = path.join(ROOT, 'node_modules', 'tsx', 'dist');
  const child = spawn(process.execPath, [...nodeArgs, '--require', path.join(tsx, 'preflight.cjs'), '--import', pathToFileURL(path.join(tsx, 'loader.mjs')).href, path.join(ROOT, 'src/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', TERMINAL_CHANNEL: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString('utf8')));
  child.stdout?.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const api: BotProcess = {
    child,
    stderr: () => err,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bot not ready after ${timeoutMs} ms:\n${err}`)), timeoutMs);
    const check = (): void => {
      if (err.includes(readyLine)) {
        clearTimeout(timer);
        resolve(api);
      }
    };
    child.stderr?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`bot exited with ${code} before it was ready:\n${err}`));
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until `done()` or the timeout; returns whether it became true. */
export async function waitUntil(done: () => boolean, timeoutMs: number, everyMs = 25): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > until) return false;
    await sleep(everyMs);
  }
  return true;
}
