import { beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/load-corpus.js';
import { resolveLocator } from '../../src/corpus/resolve-locator.js';
import type { PolicyDocument } from '../../src/corpus/types.js';
import { allSources, englishGaps, loadProgrammes, unverifiedSources, type ProgrammeData } from '../../src/programmes/load-programmes.js';
import { CORPUS_DIR, squash } from '../helpers/paths.js';

let docs: PolicyDocument[];
let data: ProgrammeData;

beforeAll(async () => {
  docs = await loadCorpus(CORPUS_DIR);
  data = await loadProgrammes(CORPUS_DIR);
});

const programme = (id: string) => {
  const p = data.programmes.find((x) => x.id === id);
  if (!p) throw new Error(`programme ${id} missing`);
  return p;
};

describe('programme data in English', () => {
  it('every word an English dialogue shows has a reviewed rendering in the shipped programmes and forms', () => {
    expect(englishGaps(data)).toEqual([]);
  });

  it('names what a programme without renderings would show in Chinese', () => {
    const first = data.programmes[0];
    if (!first) throw new Error('no programme');
    const bare = { ...data, programmes: [{ ...first, en: undefined, criteria: first.criteria.map((c) => ({ ...c, en: undefined })) }], forms: [] };
    const gaps = englishGaps(bare);
    expect(gaps).toContain(`${first.id}.en.goal_label`);
    expect(gaps).toContain(`${first.id}.criteria.${first.criteria[0]?.id ?? ''}.en.question`);
  });
});

describe('programme data: every rule traceable to the exact words of the policy', () => {
  it('loads both programmes, both forms and the dated facts through the schema', () => {
    expect(data.programmes.map((p) => p.id).sort()).toEqual(['city-center', 'outlet-filing']);
    expect(data.forms.map((f) => f.id).sort()).toEqual(['city-center-form', 'outlet-filing-form']);
    expect(data.targets[0]?.facts.length).toBeGreaterThan(5);
    expect(allSources(data).length).toBeGreaterThan(80);
  });

  it('finds every quote in the cited document at the cited article', () => {
    expect(unverifiedSources(data, docs)).toEqual([]);
  });

  it('fails a source whose locator is wrong even though the quote is elsewhere in the corpus', () => {
    const broken: ProgrammeData = structuredClone(data);
    const criterion = broken.programmes.find((p) => p.id === 'outlet-filing')?.criteria.find((c) => c.id === 'full-time-staff');
    if (!criterion) throw new Error('criterion missing');
    criterion.source.article = '第六条';
    const bad = unverifiedSources(broken, docs);
    expect(bad).toHaveLength(1);
    expect(bad[0]?.where).toContain('criteria');
    expect(resolveLocator(docs, 'outlet-filing-measures', '第五条第（一）项')).toContain('配备5名及以上专职人员');
    expect(resolveLocator(docs, 'outlet-filing-measures', '第五条第（一）项')).not.toContain('工作制度健全');
  });

  it('outlet filing: 5名及以上 full-time staff, the two materials, three-year validity and renewal, January summary, half-year rectification, three-year ban, exemptions', () => {
    const p = programme('outlet-filing');
    const staff = p.criteria.find((c) => c.id === 'full-time-staff');
    expect(staff?.answer).toMatchObject({ type: 'number', min: 5 });
    expect(staff?.source.quote).toContain('5名及以上专职人员');
    expect(p.materials.map((m) => m.label).join('|')).toMatch(/备案申请表.*\|相关工作制度/);
    const rule = (id: string) => p.deadlines.find((d) => d.id === id);
    expect(rule('validity')).toMatchObject({ rule: { years: 3 }, source: { article: '第九条' } });
    expect(rule('validity')?.source.quote).toContain('有效期为三年');
    expect(rule('renewal')?.source.quote).toContain('每次续期三年');
    expect(rule('annual-summary')).toMatchObject({ rule: { every: 'year', due: '01-31' } });
    expect(squash(rule('annual-summary')?.source.quote ?? '')).toContain('1月底前');
    expect(rule('rectification')).toMatchObject({ rule: { months: 6 } });
    expect(rule('rectification')?.source.quote).toContain('整改期为半年');
    expect(rule('false-materials-ban')).toMatchObject({ rule: { years: 3 }, source: { article: '第十八条' } });
    expect(rule('false-materials-ban')?.source.quote).toContain('三年内不得再提交');
    expect(p.exemptions.map((e) => e.id)).toEqual(['cnipa-affiliated', 'backbone-node', 'protection-center', 'tisc', 'university-center']);
    expect(p.exemptions.every((e) => e.source.article === '第十九条')).toBe(true);
    expect(p.procedure.map((s) => s.label)).toEqual(['提交材料', '材料初审和推荐', '名单确认']);
  });

  it('city centre: 2 名及以上 staff with annual training, free service, online registration by the province', () => {
    const p = programme('city-center');
    const staff = p.criteria.find((c) => c.id === 'staff');
    expect(staff?.answer).toMatchObject({ type: 'number', min: 2 });
    expect(staff?.source.quote).toContain('2 名及以上');
    expect(p.criteria.find((c) => c.id === 'annual-training')?.source.article).toBe('第十三条');
    expect(p.procedure.find((s) => s.id === 'online')?.source.quote).toContain('https://ggfw.cnipa.gov.cn/gl');
  });

  it('forms: sections, fields, who fills them, length guidance and the 填表说明 rules', () => {
    const outlet = data.forms.find((f) => f.id === 'outlet-filing-form');
    const city = data.forms.find((f) => f.id === 'city-center-form');
    expect(outlet?.sections.map((s) => s.number)).toEqual(['一', '二', '三', '四', '五', '六', '七', '八']);
    expect(outlet?.sections.find((s) => s.number === '二')?.length).toMatchObject({ chars: 1000, approx: true });
    expect(outlet?.sections.find((s) => s.number === '四')?.length).toMatchObject({ chars: 1500 });
    expect(outlet?.sections.find((s) => s.number === '五')?.length).toMatchObject({ chars: 500, per: 'case', min_items: 1, max_items: 2 });
    expect(outlet?.sections.find((s) => s.number === '三')?.length).toMatchObject({ chars: 200, per: 'person' });
    expect(outlet?.sections.find((s) => s.number === '七')?.filled_by).toBe('recommending-department');
    expect(outlet?.sections.find((s) => s.number === '八')?.filled_by).toBe('cnipa');
    expect(outlet?.rules.find((r) => r.id === 'font')).toMatchObject({ font: '仿宋_GB2312', size_name: '四号', size_half_points: 28 });
    expect(city?.rules.find((r) => r.id === 'font')).toMatchObject({ font: '仿宋_GB2312', line_spacing_pt: 28 });
    expect(city?.sections.find((s) => s.number === '二')?.length).toMatchObject({ chars: 300, per: 'case' });
    expect(city?.sections.find((s) => s.number === '三')?.filled_by).toBe('provincial-office');
    expect(city?.sections[0]?.fields.map((f) => f.label)).toEqual(expect.arrayContaining(['省份', '地级市', '经费来源', '主管部门', '专（兼）职人员 1 电话']));
  });
});
