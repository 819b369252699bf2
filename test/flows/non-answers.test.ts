import { describe, expect, it } from 'vitest';
import { converse, storedAnswers } from '../helpers/converse.js';
import { tempDir } from '../helpers/paths.js';

/** The register dialogue's answers as stored (the session row). */
describe('nothing is saved that is not an answer', () => {
  it('a question at a form step is answered and the step asked again; chatter, 确认 with nothing to keep, emoji and keyboard mash are not saved', async () => {
    const dataDir = tempDir();
    const out = await converse(dataDir, ['/register', '地市级', '名称填全称还是简称？', '好的', '确认', '😀😀', 'asdf;lkj']);
    expect(out).toContain('回到刚才的问题：');
    expect(out).toContain('这一项还没有填写');
    expect(out.match(/这看起来不是“[^”]+”的内容/g)).toHaveLength(2);
    const answers = Object.values(storedAnswers(dataDir)).map(String);
    for (const said of ['名称填全称还是简称？', '好的', '确认', '😀😀', 'asdf;lkj']) expect(answers).not.toContain(said);
    expect(answers).toHaveLength(1); // only the form choice
  });
});
