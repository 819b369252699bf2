import { describe, expect, it } from 'vitest';
import { converse, fromLast } from '../helpers/converse.js';
import { tempDir } from '../helpers/paths.js';

describe('self-check counts read from sentences, and said back', () => {
  it('takes the number next to the staff kind asked about, asks again for ranges and bounds, reads “none” as 0', async () => {
    const out = await converse(tempDir(), ['/check', '1', '1', '是', '是', '我们大概有七八个人吧，专职的三个', '不到5个', '两三个', '一个都没有', '是', '是', '是', '是', '是', '是', '是', '1']);
    expect(out).toContain('记下了：专职人员 3 名');
    // 不到5个 and 两三个 are not counts: asked again, nothing recorded.
    expect(out.match(/请填一个确切的人数/g)).toHaveLength(2);
    expect(out).toContain('记下了：兼职人员 0 名');
    const verdict = fromLast(out, '自查结果');
    expect(verdict).toContain('❌ 专职人员 5 名及以上 — 要求：5 名及以上；您的回答：3 名');
    expect(verdict).toMatch(/兼职人员.*您的回答：0 名/);
  });
});

describe('numbered choices answered in words', () => {
  it('a near name picks the one option it clearly means (行业协会 → 行业组织); a word matching none is asked again', async () => {
    const out = await converse(tempDir(), ['/check', '1', '行业协会', '/cancel', '/check', '1', '火星']);
    expect(out).toMatch(/第 3\/\d+ 步/);
    expect(out).toContain('请回复选项编号 1–');
  });
});
