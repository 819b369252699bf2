import { beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/load-corpus.js';
import type { PolicyDocument } from '../../src/corpus/types.js';
import { CORPUS_DIR, squash } from '../helpers/paths.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';

let docs: Map<string, PolicyDocument>;

beforeAll(async () => {
  docs = new Map((await loadCorpus(CORPUS_DIR)).map((d) => [d.id, d]));
});

const labels = (id: string, kind?: string): string[] =>
  (docs.get(id)?.units ?? []).filter((u) => !kind || u.kind === kind).map((u) => u.locator.label);

describe('structure of the seed documents', () => {
  it('loads all five documents with their manifest titles', () => {
    expect([...docs.keys()].sort()).toEqual(['city-center-guideline', 'efficiency-guidance', 'five-year-plan', 'gd-inclusive-plan', 'outlet-filing-measures']);
    expect(docs.get('outlet-filing-measures')?.title).toBe('国家知识产权信息公共服务网点备案实施办法（修订）');
  });

  it('outlet measures: 21 articles in 5 chapters, the annex cover, 6 instructions and form sections 一…八', () => {
    const articles = labels('outlet-filing-measures', 'article');
    expect(articles).toHaveLength(21);
    expect(articles[0]).toBe('第一条');
    expect(articles[20]).toBe('第二十一条');
    const fifth = docs.get('outlet-filing-measures')?.units.find((u) => u.locator.label === '第五条');
    expect(fifth?.locator.chapter).toBe('第二章 条件和程序');
    expect(fifth?.text).toContain('（一）为独立法人单位');
    expect(labels('outlet-filing-measures', 'instructions')).toEqual(['一', '二', '三', '四', '五', '六'].map((n) => `附件 填表说明 ${n}`));
    expect(labels('outlet-filing-measures', 'form')).toEqual([
      '附件 备案表 封面',
      '附件 备案表 一、机构基本情况',
      '附件 备案表 二、工作基础和优势特点',
      '附件 备案表 三、服务团队人员情况',
      '附件 备案表 四、未来发展思路和支持措施',
      '附件 备案表 五、开展知识产权信息公共服务典型案例',
      '附件 备案表 六、申请备案机构意见',
      '附件 备案表 七、推荐部门意见',
      '附件 备案表 八、备案部门意见',
    ]);
  });

  it('joins lines broken by the page layout inside an article', () => {
    const fifteenth = docs.get('outlet-filing-measures')?.units.find((u) => u.locator.label === '第十五条');
    expect(fifteenth?.text).toContain('省级知识产权局应加强对国家知识产权信息公共服务网点的建设保障');
  });

  it('city guideline: 17 articles, 7 instructions, a registration form with 3 sections, page numbers gone', () => {
    expect(labels('city-center-guideline', 'article')).toHaveLength(17);
    expect(labels('city-center-guideline', 'instructions')).toHaveLength(7);
    expect(labels('city-center-guideline', 'form')).toEqual([
      '附件 登记表 封面',
      '附件 登记表 一、机构基本情况',
      '附件 登记表 二、开展知识产权信息公共服务典型案例',
      '附件 登记表 三、主管部门意见',
    ]);
    expect(docs.get('city-center-guideline')?.text).not.toMatch(/—\s*4\s*—/);
    const thirteenth = docs.get('city-center-guideline')?.units.find((u) => u.locator.label === '第十三条');
    expect(squash(thirteenth?.text ?? '')).toContain('配备2名及以上具有相应业务知识和工作经验的专兼职人员');
  });

  it('five-year plan: sections （一）…（二十） under parts, and the indicator table as rows under 二、（五）', () => {
    const sections = labels('five-year-plan', 'section');
    expect(sections).toContain('一、（一）');
    expect(sections).toContain('二、（五）');
    expect(sections).toContain('七、（二十）');
    const rows = (docs.get('five-year-plan')?.units ?? []).filter((u) => u.kind === 'table-row');
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.locator.label === '二、（五） 主要指标表')).toBe(true);
    expect(squash(rows[3]?.text ?? '')).toBe(squash('4.高校国家知识产权信息服务中心（家） 60 150 90 预期性'));
  });

  it('Guangdong plan: measures （一）…（二十二）, the interpretation as its own parts, no source notes or mail links', () => {
    const sections = labels('gd-inclusive-plan', 'section');
    expect(sections).toContain('二、（一）');
    expect(sections).toContain('八、（二十二）');
    expect(sections).toContain('政策解读 二、');
    const text = docs.get('gd-inclusive-plan')?.text ?? '';
    expect(text).not.toContain('出所');
    expect(text).not.toContain('safelinks');
  });

  it('efficiency guidance: points （一）…（十六）, web navigation and footer removed', () => {
    const sections = labels('efficiency-guidance', 'section');
    expect(sections.filter((s) => /（[一二三四五六七八九十]+）$/.test(s))).toHaveLength(16);
    const text = docs.get('efficiency-guidance')?.text ?? '';
    for (const noise of ['首页', '当前位置', '字号', 'ICP备', '联系我们', '政务微博']) expect(text).not.toContain(noise);
    expect(text.startsWith('国家知识产权局关于全面提升知识产权公共服务效能的指导意见')).toBe(true);
  });

  it('every unit text is verbatim source text (white space aside)', () => {
    for (const doc of docs.values()) {
      const source = squash(readFileSync(path.join(CORPUS_DIR, `${doc.id}.txt`), 'utf8')).replace(/\*\*/g, '').replace(/###?/g, '');
      for (const unit of doc.units) {
        for (const line of unit.text.split('\n')) expect(source, `${doc.id} ${unit.locator.label}`).toContain(squash(line));
      }
    }
  });
});
