import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/paths.js';
import { runScript } from '../helpers/run-cli.js';

/** Replies are separated by a blank line; each reply is one block. */
const blocks = (stdout: string): string[] => stdout.split(/\n\n(?=\S)/).map((b) => b.trim()).filter(Boolean);

describe('terminal channel (npm start with piped stdin)', () => {
  it('answers one message per line, handles commands and bad input, and logs questions in SQLite', async () => {
    const dataDir = tempDir();
    const long = '网'.repeat(1200);
    const r = await runScript('src/main.ts', [], {
      env: { DATA_DIR: dataDir, EMBEDDER: 'builtin' },
      stdin: ['/help', '网点备案需要哪些材料', '/nonsense', long, '专利年费滞纳金多少', ''].join('\n'),
    });
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toContain('我是知识产权公共服务政策助手');
    expect(out).toContain('备案申请表');
    expect(out).toContain('相关工作制度');
    expect(out).toContain('相关工作制度（第六条）');
    expect(out).toContain('——条款均出自《国家知识产权信息公共服务网点备案实施办法（修订）》');
    expect(out).toContain('没有这个命令：/nonsense');
    expect(out).toContain('消息太长了（1200 字，上限 1000 字）');
    expect(out).toContain('没有找到能回答这个问题的规定');
    expect(blocks(out).length).toBeGreaterThanOrEqual(5);

    const dbFile = path.join(dataDir, 'bot.sqlite');
    expect(existsSync(dbFile)).toBe(true);
    const db = new Database(dbFile, { readonly: true });
    const rows = db.prepare('SELECT question, refused FROM question_log ORDER BY id').all() as Array<{ question: string; refused: number }>;
    db.close();
    expect(rows).toEqual([
      { question: '网点备案需要哪些材料', refused: 0 },
      { question: '专利年费滞纳金多少', refused: 1 },
    ]);
  });

  it('reports a malformed configuration with the key that is wrong', async () => {
    const r = await runScript('src/main.ts', [], { env: { EMBEDDER: 'gpt' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('EMBEDDER');
  });
});
