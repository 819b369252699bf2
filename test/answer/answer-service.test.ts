import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { QaServices } from '../../src/compose.js';
import { CORPUS_DIR, squash, tempDir } from '../helpers/paths.js';
import { converse } from '../helpers/converse.js';
import { openQa } from '../helpers/qa.js';

let qa: QaServices;
beforeAll(async () => {
  qa = await openQa();
});

function expectVerbatim(doc: string, quote: string): void {
  const source = squash(readFileSync(path.join(CORPUS_DIR, `${doc}.txt`), 'utf8'));
  expect(source).toContain(squash(quote));
}

describe('cited answers', () => {
  it('leads with the clause that states the number and cites the article verbatim', async () => {
    const a = await qa.answers.answer('申请网点备案至少要几个专职人员？');
    expect(a.refused).toBe(false);
    expect(a.citations[0]).toMatchObject({ doc: 'outlet-filing-measures', article: '第五条', title: '国家知识产权信息公共服务网点备案实施办法（修订）' });
    expect(squash(a.answer).slice(0, 120)).toContain('5名及以上专职人员');
    for (const c of a.citations) expectVerbatim(c.doc, c.quote);
  });

  it('answers a deadline question with the month and the clause', async () => {
    const a = await qa.answers.answer('年度工作总结什么时候报送？');
    expect(a.citations[0]?.article).toBe('第十七条');
    expect(squash(a.answer).slice(0, 300)).toContain('1月底前');
    expect(a.answer).toContain('《国家知识产权信息公共服务网点备案实施办法（修订）》第十七条');
  });

  it('points into the annex for form rules', async () => {
    const a = await qa.answers.answer('登记表要用什么字体，行距多少');
    expect(a.citations[0]).toMatchObject({ doc: 'city-center-guideline', article: '附件 填表说明 三' });
    expect(squash(a.answer)).toContain('固定值28磅');
  });

  it('refuses, citing nothing, when the corpus does not regulate the matter', async () => {
    for (const q of ['专利年费滞纳金怎么算？', '明天北京天气怎么样', '商标注册申请费是多少', "What's the weather in Beijing tomorrow?", 'What is the fee for a trademark application?', 'PCT国际申请咋提交']) {
      const a = await qa.answers.answer(q);
      expect(a.refused, q).toBe(true);
      expect(a.citations).toEqual([]);
    }
    const zh = await qa.answers.answer('专利年费滞纳金怎么算？');
    expect(zh.answer).toContain('省级知识产权局');
  });

  it('answers English questions in English with Chinese quotes', async () => {
    const a = await qa.answers.answer('How long is the filing of an information public service outlet valid?');
    expect(a.refused).toBe(false);
    expect(a.language).toBe('en');
    // The reviewed English summary of 第九条 states the fact first; the Chinese clause backs it.
    expect(a.answer.split('\n')[0]).toMatch(/valid for three years/);
    expect(a.citations[0]).toMatchObject({ doc: 'outlet-filing-measures', article: '第九条' });
    expect(a.answer).toContain('三年');
  });

  it('answers an English yes/no question with yes or no from the clause, then the summary', async () => {
    const a = await qa.answers.answer('Does a national IP protection centre need to file as an outlet?');
    expect(a.citations[0]).toMatchObject({ doc: 'outlet-filing-measures', article: '第十九条' });
    expect(a.answer).toMatch(/^No, it is not required\./);
    expect(a.answer).toContain('不需要进行国家知识产权信息公共服务网点备案');
  });

  it('understands plural and past forms in English questions', async () => {
    const a = await qa.answers.answer('Who recommends institutions for outlet filing?');
    expect(a.refused).toBe(false);
    expect(a.citations[0]?.article).toBe('第七条');
    const b = await qa.answers.answer('How many full-time staff does an outlet need?');
    expect(b.citations[0]?.article).toBe('第五条');
    expect(b.answer).toContain('5名及以上专职人员');
  });

  it('reads traditional characters as simplified', async () => {
    const a = await qa.answers.answer('網點備案有效期是幾年？');
    expect(a.citations[0]?.article).toBe('第九条');
  });

  it('compares a number the asker gives with the programme minimum and offers the self-check', async () => {
    const a = await qa.answers.answer('我们单位有两个专职人员，能备案网点吗');
    const lead = squash(a.answer).slice(0, 300);
    expect(lead).toContain('按您说的2名专职人员，达不到');
    expect(lead).toContain('还差3名');
    // The self-check is offered after the rule, with the count said already filled in.
    expect(a.answer).toContain('自查');
    expect(a.selfCheck).toMatchObject({ programme: 'outlet-filing', counts: { 'full-time-staff': 2 } });
    expect(a.citations[0]?.article).toContain('第五条');
  });
});

describe('checklist questions in English', () => {
  it('a broad English question about a programme’s materials gets its materials list in English, each item cited', async () => {
    for (const p of qa.catalog.programmes) {
      const name = p.en?.short_name ?? p.short_name;
      const a = await qa.answers.answer(`What documents do we need to prepare for ${name}?`);
      expect(a.refused, name).toBe(false);
      expect(a.language).toBe('en');
      for (const m of p.materials) {
        expect(a.answer, name).toContain(m.en?.label ?? m.label);
        expect(a.citations.some((c) => c.doc === m.source.doc && c.article === m.source.article)).toBe(true);
      }
      for (const c of a.citations) expectVerbatim(c.doc, c.quote);
    }
  });

  it('through the terminal bot, the English materials list arrives as the user would read it', async () => {
    const p = qa.catalog.programmes[0];
    if (!p) throw new Error('no programme in the catalog');
    const out = await converse(tempDir(), [`What documents do we need to prepare for ${p.en?.short_name ?? p.short_name}?`]);
    for (const m of p.materials) expect(out).toContain(m.en?.label ?? m.label);
    expect(out).toContain(p.materials[0]?.source.article ?? '');
  });

  it('a more specific English question goes to the clauses instead', async () => {
    const a = await qa.answers.answer('When do we need to submit the filing materials for an outlet?');
    expect(a.answer).not.toContain('Materials to prepare');
  });
});
