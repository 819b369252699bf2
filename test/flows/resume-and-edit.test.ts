import { describe, expect, it } from 'vitest';
import { converse, storedAnswers } from '../helpers/converse.js';
import { tempDir } from '../helpers/paths.js';

describe('a waiting form after a restart, and 修改 by name', () => {
  it('the first message after a restart says which form is waiting; a greeting gets the pending step and saves nothing', async () => {
    const dataDir = tempDir();
    await converse(dataDir, ['/register 地市级', '某市知识产权服务中心', '某省知识产权局']);
    const before = storedAnswers(dataDir);
    const out = await converse(dataDir, ['你好', '确认']);
    expect(out).toContain('您有一份未完成的');
    expect(out).toContain('已填写 3 项');
    expect(out.match(/您有一份未完成的/g)).toHaveLength(1);
    const after = storedAnswers(dataDir);
    expect(Object.keys(after).length).toBe(Object.keys(before).length + 1);
    expect(Object.values(after)).not.toContain('你好');
  });

  it('修改 with words fitting several filled fields offers them numbered; a field not reached yet or that does not exist is said so', async () => {
    const dataDir = tempDir();
    const out = await converse(dataDir, ['/register 网点', '某某大学', '某省知识产权局', '确认', '高校', '事业单位', '某路1号', '跳过', '跳过', '王五', '馆长', '赵六', '科长', '修改 职务', '2', '办公室主任', '修改 传真']);
    expect(out).toContain('“职务”对应多项');
    expect(out).toMatch(/1\. 主要负责人职务\n2\. 联系人职务/);
    expect(out).toContain('没有叫“传真”的项');
    const early = await converse(tempDir(), ['/register 网点', '某某大学', '某省知识产权局', '确认', '修改 邮箱']);
    expect(early).toContain('“邮箱”还没有填写');
    expect(storedAnswers(dataDir)['f:contactTitle']).toBe('办公室主任');
    expect(storedAnswers(dataDir)['f:headTitle']).toBe('馆长');
    expect(storedAnswers(dataDir)['f:address']).toBe('某路1号');
  });
});
