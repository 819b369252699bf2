import { describe, expect, it } from 'vitest';
import { converse } from '../helpers/converse.js';
import { tempDir } from '../helpers/paths.js';

describe('registration checklist: 修改, 预览 and answers that look like commands', () => {
  it('reopens a named field, keeps the old value as the default, and takes text starting with 修改 as an answer', async () => {
    const out = await converse(tempDir(), ['/register', '网点备案', '某某大学', '某省知识产权局', '确认', '高校', '事业单位', '修改 机构类别', '高校图书馆', '修改后的地址：某路1号', '预览']);
    expect(out.match(/第 5\/30 项：【一、机构基本情况】机构类别/g)).toHaveLength(2);
    expect(out).toContain('（已知：高校，回复“确认”沿用）');
    expect(out).toContain('· 机构类别：高校图书馆');
    expect(out).toContain('· 地址：修改后的地址：某路1号');
  });
});
