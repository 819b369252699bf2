import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { QaServices } from '../../src/compose.js';
import { createQaServices } from '../../src/compose.js';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { askedAsOf } from '../../src/understanding/as-of-date.js';
import { instrumentKey, isNational, jurisdictionFit, notInForce } from '../../src/understanding/document-standing.js';
import { ROOT, tempDir } from '../helpers/paths.js';
import { converse } from '../helpers/converse.js';
import { profileSchema } from '../../src/core/profile.js';
import { openSqlite } from '../../src/storage/sqlite-sql.js';
import { ProfileRepository } from '../../src/storage/profile-repository.js';

/**
 * An invented corpus: one programme's measures issued nationally in two editions (2022 repeals 2019)
 * and by Guangdong and Zhejiang with the same clauses but other numbers, plus an unrelated plan.
 */
const CORPUS = path.join(ROOT, 'test', 'fixtures', 'jurisdiction-corpus');
const AT = '2026-06-01T02:00:00.000Z';

let qa: QaServices;
beforeAll(async () => {
  qa = await createQaServices(loadConfig({ DATA_DIR: tempDir(), CORPUS_DIR: CORPUS, EMBEDDER: 'builtin' }), silentLogger);
});

const ask = async (question: string, place?: string) => qa.answers.answer(question, { at: AT, ...(place ? { place } : {}) });
const docsCited = (a: { citations: Array<{ doc: string }> }): string[] => a.citations.map((c) => c.doc);

describe('documents of the asker’s region', () => {
  it('a Guangdong institution is answered from the Guangdong measures, a Zhejiang one from Zhejiang’s', async () => {
    const gd = await ask('种子站要配几个专职服务人员？', '广东省广州市天河区');
    expect(gd.refused).toBe(false);
    expect(gd.citations[0]?.doc).toBe('seed-gd');
    expect(gd.answer).toContain('3名');
    const zj = await ask('种子站要配几个专职服务人员？', '浙江省杭州市西湖区');
    expect(zj.citations[0]?.doc).toBe('seed-zj');
  });

  it('a province named in the question wins over the profile’s', async () => {
    const a = await ask('浙江的种子站要配几个专职服务人员', '广东省广州市天河区');
    expect(a.citations[0]?.doc).toBe('seed-zj');
  });

  it('without a region the national measures answer', async () => {
    const a = await ask('种子站要配几个专职服务人员？');
    expect(a.citations[0]?.doc).toBe('seed-national');
    expect(a.answer).toContain('5名');
  });

  it('a document issued in one place only is ranked by its words, whatever the asker’s region', async () => {
    const a = await ask('果园服务中心要开展什么培训', '广东省广州市');
    expect(a.citations[0]?.doc).toBe('orchard-plan');
  });

  it('fits the asker: their region first, then national texts, then a province before a city', () => {
    const m = (id: string, extra: object) => ({ id, title: id, ...extra });
    expect(jurisdictionFit(m('gd', { region: '广东', level: 'provincial' }), '广东')).toBe(1);
    expect(jurisdictionFit(m('nat', { region: '全国', level: 'national' }), '广东')).toBeGreaterThan(jurisdictionFit(m('zj', { region: '浙江', level: 'provincial' }), '广东'));
    expect(jurisdictionFit(m('zj', { region: '浙江', level: 'provincial' }), undefined)).toBeGreaterThan(jurisdictionFit(m('hz', { region: '浙江', level: 'city' }), undefined));
    // A level says more than a missing region: a provincial text without one is not national.
    expect(isNational(m('p', { level: 'provincial' }))).toBe(false);
    expect(isNational(m('plain', {}))).toBe(true);
  });

  it('counterparts are recognised by their titles without place, 国家, years and 修订', () => {
    expect(instrumentKey('广东省种子站备案管理办法')).toBe(instrumentKey('种子站备案管理办法（2019年）'));
    expect(instrumentKey('新疆维吾尔自治区种子站备案管理办法（修订）')).toBe(instrumentKey('国家种子站备案管理办法'));
    expect(instrumentKey('果园服务普惠计划')).not.toBe(instrumentKey('种子站备案管理办法'));
  });
});

describe('documents in force', () => {
  it('a repealed edition is never cited for a question about today', async () => {
    for (const q of ['种子站要配几个专职服务人员？', '种子站备案有效期几年', '种子站年度总结什么时候交']) {
      const a = await ask(q);
      expect(docsCited(a), q).not.toContain('seed-national-2019');
    }
  });

  it('an as-of question is answered from the documents in force on that date, and says so', async () => {
    const a = await ask('截至2020年底，种子站要配几个专职服务人员？');
    expect(a.refused).toBe(false);
    expect(a.citations[0]?.doc).toBe('seed-national-2019');
    expect(a.answer).toContain('8名');
    expect(a.answer).toContain('2020-12-31');
    const later = await ask('2023年7月的时候种子站要配几个专职服务人员？');
    expect(later.citations[0]?.doc).toBe('seed-national');
  });

  it('reads dates asked about, and not a year that is only part of the subject', () => {
    expect(askedAsOf('截至2020年底网点有多少家')).toBe('2020-12-31');
    expect(askedAsOf('2021年6月的时候要几个人')).toBe('2021-06-30');
    expect(askedAsOf('截止到2022年3月5日的规定')).toBe('2022-03-05');
    expect(askedAsOf('what applied as of March 2021?')).toBe('2021-03-31');
    expect(askedAsOf('2025年目标是几个')).toBeUndefined();
  });

  it('an edition not yet effective, and one repealed by an effective edition, are out of force', () => {
    const metas = [
      { id: 'old', title: 'a', effective: '2019-03-01' },
      { id: 'new', title: 'b', effective: '2022-07-01', repeals: ['old'] },
    ];
    expect([...notInForce(metas, '2021-01-01')]).toEqual(['new']);
    expect([...notInForce(metas, '2023-01-01')]).toEqual(['old']);
  });
});

describe('jurisdiction and time through the terminal bot', () => {
  const env = { CORPUS_DIR: CORPUS };

  it('answers a Guangdong institution from the Guangdong measures, by the province its form gave', async () => {
    const dataDir = tempDir();
    // The profile as the registration form leaves it (省份 answered), written where the bot keeps it.
    const sql = openSqlite(path.join(dataDir, 'bot.sqlite'));
    await new ProfileRepository(sql, silentLogger).save({ channel: 'terminal', userId: 'terminal-user', chatId: 'terminal-user' }, profileSchema.parse({ form: { province: '广东省' } }), new Date('2026-06-01T00:00:00Z'));
    await sql.close();
    const out = await converse(dataDir, ['种子站要配几个专职服务人员？'], env);
    expect(out).toContain('《广东省种子站备案管理办法》');
    expect(out).toContain('3名');
    const stranger = await converse(tempDir(), ['种子站要配几个专职服务人员？'], env);
    expect(stranger).toContain('《种子站备案管理办法》');
    expect(stranger).not.toContain('广东省种子站');
  });

  it('answers an as-of question from the edition then in force, and says which date', async () => {
    const out = await converse(tempDir(), ['截至2020年底，种子站要配几个专职服务人员？'], env);
    expect(out).toContain('8名');
    expect(out).toContain('2020-12-31');
    expect(out).not.toContain('《种子站备案管理办法》第');
  });
});
