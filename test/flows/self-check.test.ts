import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/paths.js';
import { converse, fromLast, lastReply } from '../helpers/converse.js';

/** Outlet path: goal 1, kind 1 (高校), then the 12 criteria in the order of the programme data. */
const OUTLET_YES = ['/check', '1', '1', '是', '是', '6', '3', '是', '是', '是', '是', '是', '是', '是', '1'];

describe('eligibility self-check through the terminal channel', () => {
  it('an eligible outlet gets a clause-by-clause verdict, next steps and the way to the form', async () => {
    const out = await converse(tempDir(), OUTLET_YES);
    const verdict = fromLast(out, '【网点备案】自查结果');
    expect(out).toContain('第 1/14 步：贵机构想办理哪一项？');
    expect(out).toContain('第 5/14 步：团队有几名专职人员？');
    expect(verdict).toContain('【网点备案】自查结果');
    expect(verdict).toContain('结论：按您的回答，各项条件均已满足。');
    expect(verdict).toContain('✅ 专职人员 5 名及以上 — 您的回答：6 名（第五条第（一）项）');
    expect(verdict).toContain('准备材料：国家知识产权信息公共服务网点备案申请表（见附件）、相关工作制度（第六条）');
    expect(verdict).toContain('材料初审和推荐');
    expect(verdict).toContain('/register');
  });

  it('one short of staff: the verdict names the missing criterion, the number required and the answer given', async () => {
    const lines = [...OUTLET_YES];
    lines[5] = '有4个专职';
    const verdict = fromLast(await converse(tempDir(), lines), '自查结果');
    expect(verdict).toContain('结论：目前还不满足全部条件（1 项不符合，0 项未回答）');
    expect(verdict).toContain('❌ 专职人员 5 名及以上 — 要求：5 名及以上；您的回答：4 名（第五条第（一）项）');
    expect(verdict).toContain('先补齐不符合的条件：专职人员 5 名及以上');
  });

  it('a TISC is told it need not file, with 第十九条', async () => {
    const out = await converse(tempDir(), ['我们能申请吗', '1', '12']);
    const verdict = fromLast(out, '自查结果');
    expect(out).toContain('开始资格自查');
    expect(verdict).toContain('技术与创新支持中心（TISC）属于已纳入知识产权公共服务体系的机构，不需要进行国家知识产权信息公共服务网点备案');
    expect(verdict).toContain('第十九条');
  });

  it('a city centre with one staff member falls short of 2 名及以上 (第十三条)', async () => {
    const verdict = fromLast(await converse(tempDir(), ['自查', '2', '是', '1', '是', '是', '是', '是', '是']), '【地市级');
    expect(verdict).toContain('【地市级综合性机构登记】自查结果');
    expect(verdict).toContain('❌ 2 名及以上专兼职人员 — 要求：2 名及以上；您的回答：1 名（第十三条）');
  });

  it('invalid answers are explained and asked again; back, skip and cancel work; earlier answers survive', async () => {
    const out = await converse(tempDir(), ['/check', '1', '1', '是', '是', '-3', '很多', '5.5', '6', '跳过', '返回', '2', '返回', '返回', '7', '跳过', '取消', '1', '网点备案有效期几年']);
    expect(out).toContain('人数不能是负数');
    expect(out).toContain('请填一个具体的数字');
    expect(out).toContain('人数应为整数');
    expect(out).toContain('已跳过。');
    // 返回 after the skip goes back to 兼职; 返回 twice more goes back to 专职 which is answered again.
    expect(out.match(/第 5\/14 步：团队有几名专职人员/g)?.length).toBeGreaterThanOrEqual(5);
    // 取消 with answers given is confirmed first (“1” = 丢弃已填内容).
    expect(out).toContain('会丢弃这些答案');
    expect(out).toContain('已取消资格自查。随时输入 /check 重新开始。');
    expect(lastReply(out)).toContain('有效期为三年');
  });

  it('answers a free question in the middle of the flow, then repeats the pending question', async () => {
    const out = await converse(tempDir(), ['/check', '1', '1', '是', '是', '专职人员和兼职人员要几个？']);
    expect(out).toContain('配备5名及以上专职人员和若干兼职人员');
    expect(lastReply(out)).toContain('第 5/14 步：团队有几名专职人员？');
  });

  it('survives a restart mid-flow: the next run resumes at the same step with earlier answers intact', async () => {
    const dataDir = tempDir();
    const first = await converse(dataDir, ['/check', '1', '1', '是', '是', '4']);
    expect(lastReply(first)).toContain('第 6/14 步：团队有几名兼职人员');
    const second = await converse(dataDir, ['继续', '3', '是', '是', '是', '是', '是', '是', '是', '1']);
    // The first reply after the restart says which dialogue is waiting, then the step it waits at.
    const [notice, step] = second.trim().split(/\n\n(?=\S)/);
    expect(notice).toContain('您有一份未完成的资格自查（已填写 5 项）');
    expect(step).toContain('第 6/14 步：团队有几名兼职人员');
    const verdict = fromLast(second, '自查结果');
    expect(verdict).toContain('✅ 独立法人单位 — 您的回答：是');
    expect(verdict).toContain('❌ 专职人员 5 名及以上 — 要求：5 名及以上；您的回答：4 名');
  });
});
