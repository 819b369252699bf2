import { describe, expect, it } from 'vitest';
import { converse, storedAnswers } from '../helpers/converse.js';
import { tempDir } from '../helpers/paths.js';

const CITY_FIELDS = ['某市知识产权服务中心', '某省知识产权局', '确认', '某省', '某市', '某路1号', '事业单位', '财政拨款', '某市市场监管局', '5', '3', '陈主任', '13812345678', '赵科长', '13812345679', '孙八', '13900001111', 'sun@example.cn', '周九', '13900002222', 'zhou@example.cn', '咨询、检索、培训'];

describe('control over the form', () => {
  it('/register 地市级 opens that form at its first field; 返回 there goes back to the form choice', async () => {
    const out = await converse(tempDir(), ['/register 地市级', '返回']);
    expect(out).toMatch(/第 2\/\d+ 项：封面“登记机构”/);
    expect(out).toContain('要填写哪张表？');
  });

  it('a long section pasted whole is taken (the question limit does not apply), and 继续 continues a cut sentence without a break', async () => {
    const dataDir = tempDir();
    // 3,200 characters, cut mid-sentence as a platform's length limit would cut it; a vertical tab from Word inside.
    const section = `案例一：为本市企业开展专利检索与导航服务\u000b，${'围绕产业链关键技术开展专利分析并形成报告'.repeat(150)}`.slice(0, 3200);
    const out = await converse(dataDir, ['/register 地市级', ...CITY_FIELDS, section, '继续 并向企业提交了分析报告。']);
    expect(out).not.toContain('消息太长了');
    expect(out).toContain('已追加，该项现有');
    const stored = Object.values(storedAnswers(dataDir)).map(String).find((v) => v.startsWith('案例一'));
    expect(stored).toBeDefined();
    expect(stored).not.toContain('\u000b'); // control characters never reach a draft
    expect(stored?.endsWith('报告并向企业提交了分析报告。')).toBe(true); // joined without a line break
  });
});
