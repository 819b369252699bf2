import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { converse, fromLast } from '../helpers/converse.js';
import { readDocx } from '../helpers/docx-reader.js';
import { tempDir } from '../helpers/paths.js';

const FOUNDATION = '本馆设有知识产权信息服务中心，配备专利检索分析数据库和工作站，年均开展检索服务300余次。'.repeat(12);
const TEAM = '张三，研究馆员，从事专利信息服务十五年，主持完成检索分析报告40余份。'.repeat(8);
const PLANS = '未来三年将扩建服务场地，引进专业人才，建设专题数据库，并保障年度专项经费。'.repeat(20);
const CASE1 = '为某新能源企业开展电池技术专利导航，帮助企业调整研发方向，申请发明专利12件。'.repeat(8);

/** The outlet filing form, field by field, with a few wrong values on the way. */
const OUTLET_SCRIPT = [
  '/register',
  '网点备案',
  '某某大学',
  '广东省知识产权局',
  '确认', // 名称 defaults to the legal-person name from the cover
  '高校图书馆',
  '事业单位',
  '广州市天河区五山路381号',
  '跳过',
  '跳过',
  '王五',
  '馆长',
  '李四',
  '主任',
  '123', // bad phone
  '020-87110000',
  'not-an-email', // bad e-mail
  'ip@example.edu.cn',
  '12',
  '20', // 专职 > 总人数: refused
  '8',
  '6', // 8 + 6 > 12: refused
  '3',
  '高校师生、科技型中小企业',
  '专利检索、查新、专利导航、知识产权培训',
  FOUNDATION,
  '跳过', // a required field cannot be skipped
  TEAM,
  PLANS.slice(0, 400),
  `继续 ${PLANS.slice(400)}`,
  '电池技术专利导航',
  '2023年3月—2023年9月',
  CASE1,
  '跳过',
  '跳过',
  '跳过',
  '本机构承诺所提交材料真实、合法，并落实场地、人员和经费保障。',
];

const CITY_SCRIPT = [
  '/register',
  '地市级',
  '某市知识产权服务中心',
  '广东省市场监督管理局（知识产权局）',
  '确认',
  '广东省',
  '揭阳市',
  '揭阳市榕城区某路8号',
  '事业单位',
  '财政拨款',
  '揭阳市市场监督管理局',
  '6',
  '1', // fewer than 2: a warning, not a refusal
  '陈六 主任',
  '13812345678',
  '赵七 科长',
  '0663-8123456',
  '孙八',
  '13900001111',
  'sun@example.cn',
  '周九',
  '13900002222',
  'zhou@example.cn',
  '专利商标业务咨询、信息检索、培训',
  '开展地理标志产品保护宣传，服务企业20余家。'.repeat(12),
  '举办专利检索公益培训，覆盖中小企业30余家。'.repeat(10),
];

async function draftFrom(dataDir: string): Promise<Buffer> {
  const outbox = path.join(dataDir, 'outbox');
  const file = readdirSync(outbox).find((f) => f.endsWith('.docx'));
  if (!file) throw new Error('no draft in the outbox');
  return readFileSync(path.join(outbox, file));
}

describe('registration checklist ending in a .docx draft', () => {
  it('fills the outlet filing form from a script, re-asking bad values, and returns the draft laid out like the form', async () => {
    const dataDir = tempDir();
    const out = await converse(dataDir, OUTLET_SCRIPT);
    expect(out).toContain('【网点备案】需要准备的材料');
    expect(out).toContain('相关工作制度（第六条）');
    expect(out).toContain('电话号码格式不对');
    expect(out).toContain('邮箱格式不对');
    expect(out).toContain('专职人员数量（20）不能大于总人数（12）');
    expect(out).toContain('专职人员数量（8） + 兼职人员数量（6） = 14，超过总人数（12）');
    expect(out).toContain('“未来发展思路和支持措施”现在');
    expect(out).toMatch(/已追加，该项现有 \d+ 字/);
    expect(out).toContain('这一项是必答项，不能跳过。');
    const summary = fromLast(out, '草稿已生成');
    expect(summary).toContain('机构填写部分已全部完成');
    expect(summary).toContain('七、推荐部门意见（由省级知识产权局或有关行业主管部门填写并签字盖章）');
    expect(summary).toContain('八、备案部门意见（由国家知识产权局填写并签字盖章）');
    expect(out).toMatch(/\[文件\] .*国家知识产权信息公共服务网点备案表-草稿\.docx/);

    const docx = await readDocx(await draftFrom(dataDir));
    // Tables in form order: 一 (the basic table), 二, 三, 四 (boxes), 五 (cases), 六, 七, 八 (boxes).
    const [basic, foundation, team, plans, cases, applicant, recommender, filing] = docx.tables;
    expect(basic?.[0]).toEqual(['名称', '某某大学']);
    expect(basic?.[1]).toEqual(['机构类别', '高校图书馆', '机构性质', '事业单位']);
    expect(basic?.[3]).toEqual(['线上服务平台（选填）名称', '', '网址', '']);
    expect(basic?.[6]).toEqual(['联系电话', '020-87110000', '邮箱', 'ip@example.edu.cn']);
    expect(basic?.[7]).toEqual(['总人数', '12', '专职人员数量', '8', '兼职人员数量', '3']);
    expect(basic?.[9]?.[1]).toBe('专利检索、查新、专利导航、知识产权培训');
    expect(docx.paragraphs).toContain('二、工作基础和优势特点（1000字左右）');
    expect(foundation?.[0]?.[0]).toBe(FOUNDATION);
    expect(team?.[0]?.[0]).toBe(TEAM);
    expect(plans?.[0]?.[0]?.replace(/\n/g, '')).toBe(PLANS);
    expect(cases?.[0]).toEqual(['1 名称', '电池技术专利导航', '实施时间', '2023年3月—2023年9月']);
    expect(cases?.[1]).toEqual(['内容和效果', CASE1]);
    expect(applicant?.[0]?.[0]).toContain('本机构承诺所提交材料真实');
    // 七 推荐部门意见 and 八 备案部门意见: blank boxes for others.
    expect(recommender?.[0]?.[0]?.trim()).toBe('');
    expect(filing?.[0]?.[0]?.trim()).toBe('');
    expect(docx.paragraphs).toContain('备案机构：某某大学（盖章）');
    expect(docx.paragraphs).toContain('推荐部门：广东省知识产权局（盖章）');
    expect(docx.paragraphs.some((p) => /^填报日期：\d{4}年\d{1,2}月\d{1,2}日$/.test(p))).toBe(true);
    expect(docx.paragraphs).toContain('编号：＿＿＿＿＿');
    expect(docx.paragraphs).toContain('四、除需手写和签字以外，表格其他部分均用四号仿宋_GB2312 填写。');
    // 四号 仿宋_GB2312 on every run.
    const runs = [...docx.xml.matchAll(/<w:rPr>([\s\S]*?)<\/w:rPr>/g)].map((m) => m[1] ?? '');
    expect(runs.length).toBeGreaterThan(50);
    expect(runs.every((r) => r.includes('w:eastAsia="仿宋_GB2312"') && r.includes('<w:sz w:val="28"/>'))).toBe(true);
  });

  it('fills the city centre registration form with 28 磅 fixed line spacing and a warning for too few staff', async () => {
    const dataDir = tempDir();
    const out = await converse(dataDir, CITY_SCRIPT);
    expect(out).toContain('要求“配备 2 名及以上具有相应业务知识和工作经验的专兼职人员”（第十三条），目前填写 1 名');
    const docx = await readDocx(await draftFrom(dataDir));
    const [basic, case1, case2, opinion] = docx.tables;
    expect(basic?.[1]).toEqual(['省份', '广东省', '地级市', '揭阳市']);
    expect(basic?.[3]).toEqual(['机构性质', '事业单位', '经费来源', '财政拨款']);
    expect(basic?.[8]).toEqual(['专（兼）职人员 1', '孙八', '电话及邮箱', '13900001111\nsun@example.cn']);
    // Both cases of section 二 are printed, each under its label.
    expect(case1?.[0]?.[0]).toContain('开展地理标志产品保护宣传');
    expect(case2?.[0]?.[0]).toContain('举办专利检索公益培训');
    expect(docx.paragraphs).toEqual(expect.arrayContaining(['典型案例 1', '典型案例 2']));
    expect(opinion?.[0]?.[0]?.trim()).toBe('');
    // 第三部分 ends as the form does: （单位盖章）.
    expect(docx.paragraphs.some((p) => p.startsWith('经办人：') && p.endsWith('（单位盖章）'))).toBe(true);
    expect(docx.paragraphs).toContain('登记机构：某市知识产权服务中心（盖章）');
    expect(docx.paragraphs).toContain('三、主管部门意见');
    const paragraphProps = [...docx.xml.matchAll(/<w:pPr>([\s\S]*?)<\/w:pPr>/g)].map((m) => m[1] ?? '');
    expect(paragraphProps.length).toBeGreaterThan(20);
    expect(paragraphProps.every((p) => p.includes('w:line="560"') && p.includes('w:lineRule="exact"'))).toBe(true);
  });

  it('keeps everything across a restart mid-form and regenerates the draft on request', async () => {
    const dataDir = tempDir();
    await converse(dataDir, OUTLET_SCRIPT.slice(0, 12));
    const resumed = await converse(dataDir, ['继续', ...OUTLET_SCRIPT.slice(12)]);
    const [notice, step] = resumed.split(/\n\n(?=\S)/);
    expect(notice).toContain('您有一份未完成的登记/备案表填写（已填写 11 项）');
    expect(step).toContain('第 12/30 项：【一、机构基本情况】联系人');
    expect(resumed).toContain('草稿已生成');
    const docx = await readDocx(await draftFrom(dataDir));
    expect(docx.tables[0]?.[4]).toEqual(['主要负责人', '王五', '职务', '馆长']);
    const again = await converse(dataDir, ['/draft']);
    expect(again).toContain('草稿已生成');
    expect(again).toContain('机构填写部分已全部完成');
  });
});
