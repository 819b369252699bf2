import { isAppError } from './errors.js';
import type { Logger } from './logger.js';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a storage call, waiting out a lock held by another process (AppError 'storage_busy')
 * without blocking the event loop: other chats go on meanwhile, and nothing is given up, so a
 * lock delays a message but never loses it. Other errors are thrown.
 */
export async function waitForStorage<T>(call: () => T | Promise<T>, logger: Logger, what: string): Promise<T> {
  let delay = 25;
  let warned = false;
  for (;;) {
    try {
      return await call();
    } catch (e) {
      if (!isAppError(e) || e.code !== 'storage_busy') throw e;
      if (!warned) logger.warn('database locked by another process, waiting', { what });
      warned = true;
      await sleep(delay);
      delay = Math.min(delay * 2, 1000);
    }
  }
}
