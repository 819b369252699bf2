import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CORPUS_DIR = path.join(ROOT, 'corpus');
export const SHARED_DIR = path.resolve(ROOT, '..', 'shared');

/** A fresh temporary directory for one test's data (index, SQLite). */
export function tempDir(prefix = 'ipbot-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Whitespace is not part of a verbatim comparison (the corpus wraps lines). */
export const squash = (s: string): string => s.replace(/\s+/g, '');
