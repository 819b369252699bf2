import { closeSync, mkdirSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDataDir } from '../../src/storage/data-dir.js';
import { openDatabase } from '../../src/storage/database.js';
import { tempDir } from '../helpers/paths.js';
import { runScript } from '../helpers/run-cli.js';

/** What the bot printed when it refused to start: the lines that are not npm's or tsx's noise. */
const lines = (stderr: string): string[] => stderr.split('\n').filter((l) => l.trim() !== '');

describe('the bot refuses to start on bad storage, with one line saying what and where', () => {
  it('DATA_DIR is a file', async () => {
    const file = path.join(tempDir(), 'not-a-dir');
    writeFileSync(file, 'x');
    const r = await runScript('src/main.ts', [], { env: { DATA_DIR: file, EMBEDDER: 'builtin' } });
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toEqual([`DATA_DIR=${file}: is not a directory (it is a file); point DATA_DIR at a directory`]);
  });

  it('DATA_DIR cannot be created (its parent is a file)', async () => {
    const parent = path.join(tempDir(), 'file');
    writeFileSync(parent, 'x');
    const r = await runScript('src/main.ts', [], { env: { DATA_DIR: path.join(parent, 'data'), EMBEDDER: 'builtin' } });
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain(`DATA_DIR=${path.join(parent, 'data')}: cannot be created (ENOTDIR)`);
  });

  it('DATA_DIR cannot be written (a read-only place) or the disk is full', () => {
    // /sys is a directory nobody, root included, may create files in: the probe write fails.
    if (statSync('/sys', { throwIfNoEntry: false })?.isDirectory()) expect(() => checkDataDir('/sys')).toThrow(/^DATA_DIR=\/sys: (cannot be written|is not writable|is on a read-only)/);
    // Free space below the minimum reads as a full disk.
    expect(() => checkDataDir(tempDir(), Number.MAX_SAFE_INTEGER)).toThrow(/DATA_DIR=.*: only \d+ MB free, at least \d+ MB needed/);
  });

  it('bot.sqlite is damaged: named at start with what to do, not met message by message', async () => {
    const dataDir = tempDir();
    mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, 'bot.sqlite');
    const db = openDatabase(file);
    const insert = db.prepare('INSERT INTO question_log (channel, user_id, question, refused, asked_at) VALUES (?, ?, ?, 0, ?)');
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run('terminal', `u${i}`, '网点备案需要哪些材料'.repeat(5), new Date(0).toISOString());
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    // Garbage over pages in the middle of the file, as a failing disk or a half-copied file leaves it.
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(8192, 0x5a), 0, 8192, 16 * 4096);
    closeSync(fd);
    const r = await runScript('src/main.ts', [], { env: { DATA_DIR: dataDir, EMBEDDER: 'builtin' } });
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain(`数据库文件已损坏 / database file is damaged: ${file}`);
    expect(r.stderr).toContain('restore it from a backup');
  });
});
