import { accessSync, closeSync, constants, fsyncSync, mkdirSync, openSync, rmSync, statSync, statfsSync, writeSync } from 'node:fs';
import path from 'node:path';
import { AppError, errorMessage } from '../core/errors.js';

/** Below this much free space the bot refuses to start: SQLite and the index need room to write. */
export const MIN_FREE_BYTES = 64 * 1024 * 1024;

/**
 * Checks DATA_DIR before anything is written there, so a bad directory stops the bot with one
 * line naming DATA_DIR and the cause, not a stack trace from deep inside SQLite or hnswlib.
 * Creates the directory when it is missing; writes, syncs and removes a probe file.
 * @throws AppError('data_dir_unusable')
 */
export function checkDataDir(dir: string, minFreeBytes = MIN_FREE_BYTES): void {
  const fail = (cause: string): never => {
    throw new AppError('data_dir_unusable', `DATA_DIR=${dir}: ${cause}`);
  };
  const existing = statOrUndefined(dir);
  if (existing && !existing.isDirectory()) fail('is not a directory (it is a file); point DATA_DIR at a directory');
  if (!existing) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      fail(`cannot be created (${codeOf(e)}): check that the parent ${path.dirname(dir)} exists, is a directory and is writable`);
    }
  }
  try {
    accessSync(dir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (e) {
    fail(`is not writable by this user (${codeOf(e)}): fix its permissions or choose another directory`);
  }
  probeWrite(dir, fail);
  const free = freeBytes(dir);
  if (free !== undefined && free < minFreeBytes) fail(`only ${Math.floor(free / 1024 / 1024)} MB free, at least ${Math.ceil(minFreeBytes / 1024 / 1024)} MB needed: free space or move DATA_DIR`);
}

function probeWrite(dir: string, fail: (cause: string) => never): void {
  const probe = path.join(dir, `.write-probe-${process.pid}`);
  try {
    const fd = openSync(probe, 'w');
    try {
      writeSync(fd, 'ok');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    rmSync(probe, { force: true });
  } catch (e) {
    rmSync(probe, { force: true });
    const code = codeOf(e);
    if (code === 'ENOSPC') fail('the disk is full: free space or move DATA_DIR');
    if (code === 'EROFS') fail('is on a read-only file system: choose a writable directory');
    fail(`cannot be written (${code}): fix its permissions or choose another directory`);
  }
}

function statOrUndefined(p: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(p);
  } catch (e) {
    if (codeOf(e) === 'ENOENT') return undefined;
    if (codeOf(e) === 'ENOTDIR') throw new AppError('data_dir_unusable', `DATA_DIR=${p}: cannot be created (ENOTDIR): part of the path is a file, not a directory`);
    throw new AppError('data_dir_unusable', `DATA_DIR=${p}: cannot be read (${codeOf(e)})`);
  }
}

function freeBytes(dir: string): number | undefined {
  try {
    const s = statfsSync(dir);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return undefined;
  }
}

function codeOf(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : errorMessage(e);
}
