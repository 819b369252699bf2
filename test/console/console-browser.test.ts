import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { Document, Packer, Paragraph } from 'docx';
import type { FastifyInstance } from 'fastify';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTerminalChannel, terminalDelivery } from '../../src/channels/terminal.js';
import { createApp, type AppDeps } from '../../src/compose.js';
import { hashPassword } from '../../src/console/passwords.js';
import { createConsole } from '../../src/console/server.js';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { FlowEventRepository } from '../../src/storage/flow-event-repository.js';
import { OperatorRepository } from '../../src/storage/operator-repository.js';
import { readDocx } from '../helpers/docx-reader.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { CORPUS_DIR, tempDir } from '../helpers/paths.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`console browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

const PASSWORD = 'correct horse battery staple';
const clock = new FakeClock(Date.parse('2026-03-31T10:00:00+08:00'));
const shots = process.env['CONSOLE_SCREENSHOTS_DIR'] ?? tempDir('console-shots-');
let app: AppDeps;
let server: FastifyInstance;
let base: string;
let context: BrowserContext;
let page: Page;
let corpusDir: string;

/** A month of questions the report must count exactly: per outcome, programme and topic. */
async function seed(): Promise<{ answered: number; notStated: number; notCovered: number }> {
  const log = app.questionLog;
  const at = (day: number): Date => new Date(Date.parse(`2026-03-${String(day).padStart(2, '0')}T02:00:00Z`));
  const answer = (q: string, day: number, topic: string, article: string): Promise<void> =>
    log.record({ channel: 'telegram', userId: `u${day}`, question: q, refused: false, kind: 'answer', programme: 'outlet-filing', topic, region: '广东省', answer: `……${article}`, citations: [{ doc: 'outlet-filing-measures', article }], trace: { threshold: 0.3, asOf: '2026-03-01', parts: [{ question: q, query: q, relation: 'fresh', documents: [], confidence: 0.8, answered: true, reason: 'covered', ranked: [{ doc: 'outlet-filing-measures', article, score: 0.91 }] }] }, at: at(day) });
  for (let d = 2; d <= 8; d++) await answer(`网点要几名专职人员？（第${d}问）`, d, '第五条', '第五条');
  await answer('年度总结什么时候交', 20, '第十三条', '第十三条');
  await log.record({ channel: 'wechat-oa', userId: 'x', question: '备案公示几天', refused: true, kind: 'not_stated', programme: 'outlet-filing', topic: '第十一条', at: at(10) });
  await log.record({ channel: 'wechat-oa', userId: 'y', question: '备案公示期多长，电话13812345678', refused: true, kind: 'not_stated', programme: 'outlet-filing', topic: '第十一条', at: at(11) });
  for (const [i, q] of ['商标续展多少钱', '下周北京下雨吗', '专利年费怎么交'].entries()) await log.record({ channel: 'telegram', userId: `z${i}`, question: q, refused: true, kind: 'not_covered', at: at(12 + i) });
  await log.record({ channel: 'telegram', userId: 'old', question: '上个月的问题', refused: false, kind: 'answer', at: new Date(Date.parse('2026-02-10T02:00:00Z')) });
  const flows = new FlowEventRepository(app.sql);
  for (let i = 0; i < 4; i++) await flows.record({ flow: 'self-check', event: 'started', region: '广东省', at: at(5 + i) });
  await flows.record({ flow: 'self-check', event: 'finished', programme: 'outlet-filing', verdict: 'meets', at: at(6) });
  await flows.record({ flow: 'self-check', event: 'finished', programme: 'outlet-filing', verdict: 'falls_short', shortOn: ['full-time-staff', 'databases'], at: at(7) });
  await flows.record({ flow: 'self-check', event: 'finished', programme: 'outlet-filing', verdict: 'falls_short', shortOn: ['full-time-staff'], at: at(8) });
  await flows.record({ flow: 'register', event: 'started', at: at(9) });
  await flows.record({ flow: 'register', event: 'finished', programme: 'outlet-filing', verdict: 'draft', at: at(9) });
  return { answered: 8, notStated: 2, notCovered: 3 };
}

/** an institution whose nudge could not be delivered */
async function seedFailedNudge(): Promise<number> {
  await app.profiles.save({ channel: 'telegram', userId: '5005', chatId: '5005' }, { ...(await app.profiles.get({ channel: 'telegram', userId: '5005' })), programme: 'outlet-filing', dates: { filingDate: '2025-04-15' } }, clock.now());
  await app.nudges.plan([{ channel: 'telegram', userId: '5005', chatId: '5005', deadlineKey: 'outlet-filing:annual:2027', leadDays: 30, dueDate: '2027-01-31', sendAt: '2027-01-01T01:00:00.000Z', payload: JSON.stringify({ label: '报送年度工作总结', due: '2027-01-31', title: 't', article: '第十三条', quote: 'q' }) }]);
  const nudge = (await app.sql.get<{ id: number }>(`SELECT id FROM nudges WHERE user_id = '5005'`)) ?? { id: -1 };
  await app.outbox.enqueue([{ channel: 'telegram', chatId: '5005', userId: '5005', reply: { text: '⏰ 提醒' }, unprompted: true, nudgeId: nudge.id }], clock.now());
  const row = (await app.sql.get<{ id: number }>(`SELECT id FROM outbox WHERE nudge_id = ?`, [nudge.id])) ?? { id: -1 };
  await app.outbox.reject(row.id, '403: bot was blocked');
  return nudge.id;
}

beforeAll(async () => {
  if (!haveChromium) return;
  corpusDir = tempDir('console-corpus-');
  cpSync(CORPUS_DIR, corpusDir, { recursive: true });
  const config = loadConfig({ DATA_DIR: tempDir(), CORPUS_DIR: corpusDir, EMBEDDER: 'builtin', CONSOLE_PORT: '0', CONSOLE_LOCKOUT_ATTEMPTS: '3' });
  if (!config.console) throw new Error('console config missing');
  app = await createApp(config, silentLogger, { clock });
  await new OperatorRepository(app.sql).add('operator1', await hashPassword(PASSWORD), clock.now());
  server = await createConsole({ config: config.console, app, corpusDir, dataDir: config.dataDir, timeZone: config.timeZone, logger: silentLogger });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const address = server.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  mkdirSync(shots, { recursive: true });
  context = await chromium.launchPersistentContext(tempDir('chromium-profile-'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1200, height: 900 },
    locale: 'zh-CN',
  });
  page = context.pages()[0] ?? (await context.newPage());
}, 120_000);

afterAll(async () => {
  if (!haveChromium) return;
  await context?.close();
  await server?.close();
  await app?.close();
});

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
const cellTexts = async (selector: string): Promise<string[][]> => page.$$eval(`${selector} tbody tr`, (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())));

describe.skipIf(!haveChromium)('operator console in a real Chromium', () => {
  it('refuses everything without a session: pages redirect to sign-in, posts get 401', async () => {
    const get = await fetch(`${base}/report`, { redirect: 'manual' });
    expect(get.status).toBe(302);
    expect(get.headers.get('location')).toMatch(/^\/login\?next=/);
    for (const p of ['/corpus/reindex', '/corpus/remove', '/institutions/resend', '/logout']) expect((await fetch(`${base}${p}`, { method: 'POST', redirect: 'manual' })).status).toBe(401);
    expect((await fetch(`${base}/report.xlsx`, { redirect: 'manual' })).status).toBe(302);
    // the health check needs no session and tells the database, the index and the channels
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, database: true, index: { documents: 5 } });
  });

  it('locks an operator out after repeated wrong passwords', async () => {
    await new OperatorRepository(app.sql).add('operator2', await hashPassword(PASSWORD), clock.now());
    const other = await chromium.launchPersistentContext(tempDir('chromium-profile-'), { executablePath: CHROMIUM, headless: true, locale: 'zh-CN', args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    const p = other.pages()[0] ?? (await other.newPage());
    const attempt = async (password: string): Promise<string> => {
      await p.goto(`${base}/login`);
      await p.fill('input[name=name]', 'operator2');
      await p.fill('input[name=password]', password);
      await p.click('button');
      return (await p.textContent('main')) ?? '';
    };
    for (let i = 0; i < 3; i++) expect(await attempt('wrong password')).toContain('用户名或密码错误');
    expect(await attempt(PASSWORD)).toContain('账号已锁定');
    await other.close();
  }, 60_000);

  it('signs in and shows the demand report counted from the question log', async () => {
    const expected = await seed();
    await page.goto(`${base}/report?from=2026-03-01&to=2026-03-31`);
    expect(page.url()).toContain('/login');
    await shot('login');
    await page.fill('input[name=name]', 'operator1');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button');
    await page.waitForURL(/\/report/);
    const [totals] = await cellTexts('#s0');
    expect(totals?.[0]).toBe(String(expected.answered + expected.notStated + expected.notCovered));
    expect(totals?.[1]).toMatch(new RegExp(`^${expected.answered} `));
    expect(totals?.[2]).toMatch(new RegExp(`^${expected.notStated} `));
    expect(totals?.[3]).toMatch(new RegExp(`^${expected.notCovered} `));
    expect(await page.locator('#s1 svg').count()).toBe(1); // the weekly chart, rendered on the server
    const clauses = await cellTexts('#s4');
    expect(clauses[0]).toEqual(['《国家知识产权信息公共服务网点备案实施办法（修订）》第五条', '7']);
    const gaps = await cellTexts('#s5');
    expect(gaps.find((g) => g[0] === '第十一条')?.[2]).toBe('2');
    expect(gaps.find((g) => g[0] === '第十一条')?.[3]).not.toContain('13812345678');
    expect(gaps.find((g) => g[0] === '文件未涉及的问题')?.[2]).toBe('3');
    const [checks] = await cellTexts('#s6');
    expect(checks).toEqual(['4', '3', '1', '2', '0']);
    const shortfalls = await cellTexts('#s7');
    expect(shortfalls[0]?.[2]).toBe('2');
    expect(await page.textContent('main')).not.toContain('u2');
    await shot('report');
  }, 60_000);

  it('exports the report as .xlsx and .docx that read back with the same numbers', async () => {
    const xlsx = await context.request.get(`${base}/report.xlsx?from=2026-03-01&to=2026-03-31`);
    expect(xlsx.status()).toBe(200);
    const book = new ExcelJS.Workbook();
    const body = await xlsx.body();
    await book.xlsx.load(new Uint8Array(body).buffer);
    const first = book.worksheets[0];
    expect(first?.getRow(2).getCell(1).value).toBe(13);
    expect(book.worksheets.some((w) => w.name.includes('最常引用的条款'))).toBe(true);
    const docx = await context.request.get(`${base}/report.docx?from=2026-03-01&to=2026-03-31&region=广东省`);
    const read = await readDocx(await docx.body());
    expect(read.paragraphs).toContain('问题需求报告（2026-03-01 至 2026-03-31，广东省）');
    // Guangdong only: the eight answered questions were fitted to it, the refused ones to no region
    expect(read.tables[0]?.[1]?.[0]).toBe('8');
  });

  it('searches the conversations and shows why an entry was answered', async () => {
    await page.goto(`${base}/conversations?text=${encodeURIComponent('专职人员')}`);
    const rows = await cellTexts('table');
    expect(rows.length).toBe(7);
    await page.click('table a');
    expect(await page.textContent('main')).toContain('覆盖度达到阈值：作答');
    await shot('conversation');
    await page.goto(`${base}/conversations`);
    await shot('conversations');
  });

  it('hit-tests a question with its ranked clauses, without logging it', async () => {
    const before = (await app.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM question_log'))?.n;
    await page.goto(`${base}/hit-test`);
    await page.fill('input[name=q]', '网点备案要求几名专职人员');
    await page.click('button:has-text("测试")');
    const result = (await page.textContent('#result')) ?? '';
    expect(result).toContain('第五条');
    expect(result).toContain('覆盖度达到阈值：作答');
    expect(await page.locator('#result table.ranked tbody tr').count()).toBeGreaterThan(2);
    expect((await app.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM question_log'))?.n).toBe(before);
    await shot('hit-test');
  }, 30_000);

  it('refuses a form post without its CSRF token', async () => {
    const r = await context.request.post(`${base}/corpus/reindex`, { form: {} });
    expect(r.status()).toBe(403);
    const forged = await context.request.post(`${base}/corpus/remove`, { form: { id: 'outlet-filing-measures', _csrf: 'forged' } });
    expect(forged.status()).toBe(403);
    const multipart = await context.request.post(`${base}/corpus/reindex`, { multipart: { x: '1' } });
    expect(multipart.status()).toBe(403);
    const upload = await context.request.post(`${base}/corpus/upload`, { multipart: { id: 'sneaky', file: { name: 'a.txt', mimeType: 'text/plain', buffer: Buffer.from('第一条 x') } } });
    expect(upload.status()).toBe(403);
    expect(readdirSync(corpusDir)).toContain('outlet-filing-measures.txt');
  });

  it('uploads a .docx, shows its articles, reindexes, answers from it through the terminal, then removes it', async () => {
    const doc = new Document({
      sections: [
        {
          children: ['某市知识产权服务驿站管理办法', '第一条 为规范知识产权服务驿站建设，制定本办法。', '第二条 服务驿站应当配备2名以上专职服务人员，每周开放不少于5个工作日。', '第三条 服务驿站每年12月底前向市知识产权局报送服务台账。'].map((t) => new Paragraph(t)),
        },
      ],
    });
    const file = path.join(tempDir(), 'station-measures.docx');
    writeFileSync(file, await Packer.toBuffer(doc));
    await page.goto(`${base}/corpus`);
    await shot('corpus');
    await page.fill('input[name=id]', 'station-measures');
    await page.setInputFiles('input[type=file]', file);
    await page.click('button:has-text("预览")');
    const articles = await cellTexts('#articles');
    expect(articles.map((a) => a[0])).toEqual(['第一条', '第二条', '第三条']);
    await shot('corpus-preview');
    await page.click('button:has-text("加入文件库")');
    expect(await page.textContent('[role=status]')).toContain('已加入 station-measures');
    await page.click('button:has-text("重建索引")');
    expect(await page.textContent('[role=status]')).toMatch(/索引已重建：6 个文件/);

    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (d: Buffer) => (printed += d.toString('utf8')));
    app.connect('terminal', terminalDelivery(output, tempDir()));
    const done = runTerminalChannel({ gateway: app.gateway, dataDir: tempDir(), input, output, userId: 'console-test' });
    input.end('服务驿站要配几个专职服务人员\n');
    await done;
    expect(printed).toContain('《某市知识产权服务驿站管理办法》第二条');
    expect(printed).toContain('2名以上专职服务人员');

    await page.goto(`${base}/corpus`);
    page.once('dialog', (d) => void d.accept());
    await page.click('tr:has-text("station-measures") button:has-text("删除")');
    expect(await page.textContent('[role=status]')).toContain('已删除 station-measures');
    await page.click('button:has-text("重建索引")');
    expect(await page.textContent('[role=status]')).toMatch(/索引已重建：5 个文件/);
    expect(readdirSync(corpusDir)).not.toContain('station-measures.docx');
    expect(await page.textContent('main')).toContain('add-document');
  }, 120_000);

  it('refuses to reindex, with the reason, when the programme data cites a removed document; the bot keeps answering', async () => {
    const kept = path.join(tempDir(), 'city-center-guideline.txt');
    cpSync(path.join(corpusDir, 'city-center-guideline.txt'), kept);
    await page.goto(`${base}/corpus`);
    await page.click('tr:has-text("city-center-guideline") button:has-text("删除")');
    await page.click('button:has-text("重建索引")');
    const refusal = (await page.textContent('[role=status]')) ?? '';
    expect(refusal).toContain('重建索引被拒绝');
    expect(refusal).toContain('city-center-guideline');
    expect(app.qa.index.docs.map((d) => d.id)).toContain('city-center-guideline'); // the running index stays
    cpSync(kept, path.join(corpusDir, 'city-center-guideline.txt'));
    await page.click('button:has-text("重建索引")');
    expect(await page.textContent('[role=status]')).toMatch(/索引已重建：5 个文件/);
  }, 60_000);

  it('lists institutions with their reminders and resends a failed one', async () => {
    const nudge = await seedFailedNudge();
    await page.goto(`${base}/institutions`);
    expect(await page.textContent('main')).toContain('网点备案');
    expect(await page.textContent('main')).not.toContain('5005');
    await shot('institutions');
    await page.click('button:has-text("重新发送")');
    expect(await page.textContent('[role=status]')).toContain('已重新排队发送');
    expect((await app.sql.get<{ status: string }>('SELECT status FROM outbox WHERE nudge_id = ?', [nudge]))?.status).toBe('pending');
  });

  it('switches to English and signs out', async () => {
    await page.goto(`${base}/lang?to=en&back=/report`);
    expect(await page.textContent('header')).toContain('Demand report');
    await page.click('button:has-text("Sign out")');
    await page.waitForURL(/\/login/);
    expect((await context.request.get(`${base}/report`, { maxRedirects: 0 })).status()).toBe(302);
  });
});
