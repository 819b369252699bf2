import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.js';
import { converseAt, fromLast } from '../helpers/converse.js';
import { readDocx } from '../helpers/docx-reader.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { tempDir } from '../helpers/paths.js';

/**
 * Dialogues in English: with /lang en, or from the first English sentence written in one. The
 * prompts, step labels, errors and verdict lines are English; form values stay as typed and the
 * .docx stays Chinese (it is the official form).
 */
const clock = (): FakeClock => new FakeClock(Date.parse('2026-11-22T10:00:00+08:00'));
const HAN = /\p{Script=Han}/u;

/** The lines a reply shows that are the bot's own words (clause locators and quotes are Chinese by design). */
const ownWords = (out: string): string[] =>
  out
    .split('\n')
    .map((l) => l.replace(/（[^）]*）|\([^)]*\)|《[^》]*》|“[^”]*”|第[^\s,;:)]*[条项]/g, ''))
    .filter((l) => HAN.test(l));

describe('English dialogues', () => {
  it('/lang en: the self-check asks, re-asks and judges in English, reading answers written in sentences', async () => {
    const out = await converseAt(tempDir(), ['/lang en', '/check', '1', 'we are a university library', 'yes', 'yes', 'about 8 people, 3 full-time', 'none', 'maybe', 'yes', 'yes', 'yes', 'yes', 'yes', 'yes', 'yes', '1'], clock());
    expect(out).toContain('Step 1 of 14: What does your institution want to apply for?');
    expect(out).toContain('(Reply 1 / 2 / 3)');
    expect(out).toContain('(You can reply: back / cancel)');
    // The kind named in English words is recognised (a university's library is the university's).
    expect(out).toContain('Step 3 of 14: Is your institution an independent legal person?');
    expect(out).toContain('Recorded: full-time staff: 3');
    expect(out).toContain('Please answer “yes” or “no” (or reply 1 or 2).');
    const verdict = fromLast(out, '[outlet filing] Self-check result');
    expect(verdict).toContain('Conclusion: not all conditions are met yet (2 not met, 0 not answered).');
    expect(verdict).toContain('❌ 5 or more full-time staff — required: at least 5; your answer: 3 (第五条第（一）项)');
    expect(verdict).toContain('❌ Some part-time staff — required: at least 1; your answer: 0 (第五条第（一）项)');
    expect(verdict).toContain('· Send /register to fill in the Filing form for national IP information public service outlets');
    // Nothing of the bot's own wording is left in Chinese; the clauses it cites stay verbatim.
    expect(ownWords(verdict)).toEqual([]);
  });

  it('auto: the first English sentence in a dialogue turns it to English; a Latin value does not', async () => {
    const out = await converseAt(tempDir(), ['/check', '1', 'not-sure', 'we are a research institute', 'yes', 'cancel', '1', 'Are we eligible?'], clock());
    expect(out).toContain('第 1/14 步：贵机构想办理哪一项？');
    // "not-sure" is no sentence: the step is asked again in Chinese.
    expect(out).toContain('请回复选项编号 1–13。');
    expect(out).toContain('Step 3 of 14: Is your institution an independent legal person?');
    expect(out).toContain('Step 4 of 14: Do you have a dedicated IP information service team?');
    // The controls it offers work in English too: cancel asks first, the choice confirms.
    expect(out).toContain('You are in the middle of the eligibility self-check with 3 answers. Cancelling throws these answers away.');
    expect(out).toContain('The eligibility self-check is cancelled. Send /check to start again.');
    // Asked in English, the check starts in English.
    expect(fromLast(out, 'Eligibility self-check:')).toContain('Step 1 of 14: What does your institution want to apply for?');
  });

  it('the form in English: English labels and errors, values kept as typed, a Chinese .docx and an English summary', async () => {
    const dataDir = tempDir();
    const out = await converseAt(
      dataDir,
      [
        '/lang en',
        '/register city-level',
        'Our full name is 某市知识产权服务中心',
        '广东省市场监督管理局（知识产权局）',
        'confirm',
        '广东省',
        '揭阳市',
        '揭阳市榕城区某路8号',
        '事业单位',
        '财政拨款',
        '揭阳市市场监督管理局',
        '6',
        '9',
        '3',
        '陈六 主任',
        '123',
        'the number is 13812345678',
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
        'skip',
      ],
      clock(),
    );
    expect(out).toContain('[city-level centre registration] Materials to prepare:');
    expect(out).toContain('Item 2 of 25: Cover: “Registering institution” (the name of the legal entity)');
    expect(out).toContain('Recorded: Registering institution: 某市知识产权服务中心');
    expect(out).toContain('Item 5 of 25: [Part 1: Basic information] Province');
    expect(out).toContain('Full-time staff (9) cannot be more than Total staff (6).');
    expect(out).toContain('That phone number does not look right');
    expect(out).toContain("Recorded: Head's phone: 13812345678");
    expect(out).toContain('Typical case 2 (optional)');
    const summary = fromLast(out, 'The draft of the Registration form');
    expect(summary).toContain('Everything your institution fills in is complete.');
    expect(summary).toContain('· Part 3, Opinion of the supervising department: filled in, signed and sealed by the provincial IP administration');
    expect(ownWords(summary.split('\n[')[0] ?? '')).toEqual([]);

    const file = readdirSync(path.join(dataDir, 'outbox')).find((f) => f.endsWith('.docx'));
    if (!file) throw new Error('no draft in the outbox');
    const docx = await readDocx(readFileSync(path.join(dataDir, 'outbox', file)));
    expect(docx.paragraphs).toContain('登记机构：某市知识产权服务中心（盖章）');
    expect(docx.tables[0]?.[1]).toEqual(['省份', '广东省', '地级市', '揭阳市']);
    expect(docx.tables[0]?.[6]).toEqual(['负责人及职务', '陈六 主任', '联系方式', '13812345678']);
  });

  it('reminders in English: the programme as a numbered choice, a date written in words, terms already ended said plainly', async () => {
    const dataDir = tempDir();
    const out = await converseAt(dataDir, ['/lang en', '/remind', '1', '15 March 2023', '/remind soon'], clock());
    expect(out).toContain('I do not know yet which programme your institution is in.');
    expect(out).toContain('Please send your filing date');
    expect(out).toContain('Recorded the filing date: 15 March 2023.');
    expect(out).toContain('The first validity term ended on 15 March 2026 (第九条); if it was renewed, the next term ends on 15 March 2029.');
    expect(out).toContain("· 31 January 2027 — Previous year's work summary due by the end of January each year (第十七条)");
    expect(out).toContain('I could not read that date.');
    // What is stored is the date itself, whatever the language it was said in.
    const db = openDatabase(path.join(dataDir, 'bot.sqlite'));
    const stored = db.prepare('SELECT data FROM profiles').all() as Array<{ data: string }>;
    db.close();
    expect(stored.map((r) => JSON.parse(r.data) as { dates?: Record<string, string> }).map((p) => p.dates)).toContainEqual({ filingDate: '2023-03-15' });
  });
});
