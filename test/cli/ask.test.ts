import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CORPUS_DIR, squash, tempDir } from '../helpers/paths.js';
import { runScript } from '../helpers/run-cli.js';

const answerSchema = z.object({
  answer: z.string(),
  citations: z.array(z.object({ doc: z.string(), title: z.string(), article: z.string(), quote: z.string() }).strict()),
  refused: z.boolean(),
});

const dataDir = tempDir();
const env = { DATA_DIR: dataDir, EMBEDDER: 'builtin' };

beforeAll(async () => {
  // Builds the index once so the timed runs below load it.
  const r = await runScript('src/cli/ask.ts', ['网点备案有效期多久'], { env });
  expect(r.code).toBe(0);
});

describe('npm run ask contract', () => {
  it('prints the plain answer', async () => {
    const r = await runScript('src/cli/ask.ts', ['网点备案有效期多久'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('有效期为三年');
    expect(r.stdout).toContain('第九条');
  });

  it('--json prints one object with answer, citations (doc, title, article, quote) and refused', async () => {
    const r = await runScript('src/cli/ask.ts', ['--json', '备案表第六部分谁填谁签字'], { env });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = answerSchema.parse(JSON.parse(lines[0] ?? ''));
    expect(out.refused).toBe(false);
    expect(out.citations[0]).toMatchObject({ doc: 'outlet-filing-measures', article: '附件 填表说明 二' });
    const source = squash(readFileSync(path.join(CORPUS_DIR, 'outlet-filing-measures.txt'), 'utf8'));
    for (const c of out.citations) expect(source).toContain(squash(c.quote));
  });

  it('--json marks a refusal with no citations', async () => {
    const r = await runScript('src/cli/ask.ts', ['--json', '专利年费滞纳金多少'], { env });
    const out = answerSchema.parse(JSON.parse(r.stdout));
    expect(out).toMatchObject({ refused: true, citations: [] });
  });

  it('--json --batch answers JSON lines, one line out per question, keeping ids', async () => {
    const file = path.join(tempDir(), 'batch.jsonl');
    writeFileSync(
      file,
      [
        { id: 'a1', question: '地市级综合性知识产权公共服务机构要配几个人' },
        { id: 'a2', question: '专利年费滞纳金多少' },
        { id: 'a3', question: '年报啥时候交' },
      ]
        .map((o) => JSON.stringify(o))
        .join('\n'),
    );
    const r = await runScript('src/cli/ask.ts', ['--json', '--batch', file], { env });
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => answerSchema.extend({ id: z.string() }).parse(JSON.parse(l)));
    expect(rows.map((row) => row.id)).toEqual(['a1', 'a2', 'a3']);
    expect(rows[0]?.citations[0]).toMatchObject({ doc: 'city-center-guideline', article: '第十三条' });
    expect(rows[1]?.refused).toBe(true);
    expect(rows[2]?.citations[0]?.article).toBe('第十七条');
  });

  it('exits non-zero with usage when no question is given', async () => {
    const r = await runScript('src/cli/ask.ts', [], { env });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('usage');
  });
});
