import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { converse } from '../helpers/converse.js';
import { ROOT, tempDir } from '../helpers/paths.js';
import { runScript } from '../helpers/run-cli.js';

const FIXTURE_CORPUS = path.join(ROOT, 'test', 'fixtures', 'understanding-corpus');
const env = { CORPUS_DIR: FIXTURE_CORPUS };

describe('conversations through the front door (invented corpus)', () => {
  it('the terminal bot keeps the thread across a restart: the context lives in SQLite', async () => {
    const dataDir = tempDir();
    const first = await converse(dataDir, ['你好', '种子站要配几名专职人员'], env);
    expect(first).toContain('3名及以上专职人员');
    expect(first).not.toContain('没有找到能回答');
    const afterRestart = await converse(dataDir, ['那果园服务中心呢？'], env);
    expect(afterRestart).toContain('7名及以上专兼职人员');
    expect(afterRestart).toContain('《果园服务中心登记工作指引》第三条');
  });

  it('ask --json --batch answers lines of one session in order with context, and reports kind and nearest', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'batch.jsonl');
    const lines = [
      { id: 'a1', session: 's1', question: '种子站备案有效期几年' },
      { id: 'b1', session: 's2', question: '果园服务中心要几名专兼职人员' },
      { id: 'a2', session: 's1', question: '那果园服务中心呢' },
      { id: 'a3', session: 's1', question: '谢谢' },
      { id: 'x', question: '种子站公示要几天' },
    ];
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n'));
    const r = await runScript('src/cli/ask.ts', ['--json', '--batch', file], { env: { ...env, DATA_DIR: tempDir(), EMBEDDER: 'builtin' } });
    expect(r.code, r.stderr).toBe(0);
    const citation = z.object({ doc: z.string(), title: z.string(), article: z.string(), quote: z.string() }).strict();
    const out = r.stdout
      .trim()
      .split('\n')
      .map((l) => z.object({ id: z.string(), session: z.string().optional(), answer: z.string(), citations: z.array(citation), refused: z.boolean(), kind: z.enum(['answer', 'not_stated', 'not_covered', 'smalltalk']), nearest: z.array(citation).optional() }).parse(JSON.parse(l)));
    const byId = new Map(out.map((o) => [o.id, o]));
    expect(out.map((o) => o.id)).toEqual(['a1', 'b1', 'a2', 'a3', 'x']);
    expect(byId.get('a2')?.citations[0]).toMatchObject({ doc: 'orchard-guideline', article: '第六条' });
    expect(byId.get('a3')).toMatchObject({ kind: 'smalltalk', refused: false, citations: [] });
    expect(byId.get('x')).toMatchObject({ kind: 'not_stated', refused: true, citations: [] });
    expect(byId.get('x')?.nearest?.[0]?.doc).toBe('seed-measures');
  });
});
