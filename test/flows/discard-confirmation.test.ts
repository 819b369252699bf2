import { describe, expect, it } from 'vitest';
import { converse, fromLast } from '../helpers/converse.js';
import { tempDir } from '../helpers/paths.js';

describe('answers are not thrown away without asking', () => {
  it('取消 and starting another dialogue mid-form ask first; “继续填写” keeps every answer, “1” confirms', async () => {
    const dataDir = tempDir();
    const out = await converse(dataDir, ['/register', '地市级', '某市知识产权服务中心', '取消', '2', '/check', '继续', '取消', '1', '/cancel']);
    // 取消 after two answers: asked, with both ways out.
    expect(out).toContain('您正在登记/备案表填写，已填写 2 项。取消会丢弃这些答案。');
    // “2” = 继续填写: the form goes on at the step after the two answers.
    const afterKeep = fromLast(out, '您正在登记/备案表填写，已填写 2 项。开始资格自查会丢弃这些答案。');
    expect(afterKeep).not.toBe('');
    // /check was asked about too, and 继续 went back to the form rather than starting the check.
    expect(afterKeep).toMatch(/第 3\/\d+ 项/);
    // 取消 then “1” (丢弃已填内容) cancels; a further /cancel finds nothing in progress.
    expect(out).toContain('已取消登记/备案表填写');
    expect(out.trim().endsWith('当前没有进行中的流程。')).toBe(true);
  });

  it('with fewer than two answers nothing is asked', async () => {
    const out = await converse(tempDir(), ['/check', '取消']);
    expect(out).toContain('已取消资格自查');
    expect(out).not.toContain('会丢弃这些答案');
  });
});
