import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import type { Delivery, DeliveryTarget, Reply } from '../../src/core/ports.js';
import { profileSchema } from '../../src/core/profile.js';
import { loadCorpus } from '../../src/corpus/load-corpus.js';
import { createCatalog, type ProgrammeCatalog } from '../../src/programmes/catalog.js';
import { loadProgrammes } from '../../src/programmes/load-programmes.js';
import { loadDialogueTexts } from '../../src/flows/dialogue-text.js';
import { createReminderScheduler, type ReminderScheduler } from '../../src/reminders/reminder-scheduler.js';
import { deadlinesFor } from '../../src/reminders/compute-deadlines.js';
import { addDays, atLocalHour } from '../../src/core/dates.js';
import { startingDate } from '../../src/programmes/schema.js';
import { seededRandom } from '../../src/retrieval/linear-algebra.js';
import { openSqlite } from '../../src/storage/sqlite-sql.js';
import { NudgeRepository } from '../../src/storage/nudge-repository.js';
import { OutboxRepository } from '../../src/storage/outbox-repository.js';
import { createOutboxSender, type OutboxSender } from '../../src/core/outbox-sender.js';
import { ProfileRepository } from '../../src/storage/profile-repository.js';
import { DAY, FakeClock, HOUR } from '../helpers/fake-clock.js';
import { CORPUS_DIR, tempDir } from '../helpers/paths.js';

let catalog: ProgrammeCatalog;
beforeAll(async () => {
  catalog = createCatalog(await loadProgrammes(CORPUS_DIR), await loadCorpus(CORPUS_DIR));
});

interface Sent {
  localDate: string;
  target: DeliveryTarget;
  text: string;
}

/** A delivery that records what a user would receive, with the Shanghai date it arrived. */
function recorder(clock: FakeClock, sent: Sent[], failFirst = 0): Delivery {
  let failures = failFirst;
  return {
    async deliver(target: DeliveryTarget, reply: Reply) {
      if (failures > 0) {
        failures--;
        throw new Error('network down');
      }
      sent.push({ localDate: new Date(clock.now().getTime() + 8 * HOUR).toISOString().slice(0, 10), target, text: reply.text });
    },
  };
}

interface Bot {
  scheduler: ReminderScheduler;
  sender: OutboxSender;
  profiles: ProfileRepository;
  nudges: NudgeRepository;
  /** one scheduler tick, then the outbox delivers what is due */
  step(): Promise<void>;
  close(): Promise<void>;
}

/** One bot process over a SQLite file: repositories, the scheduler and the outbox sender with the given clock and delivery. */
function openBot(file: string, clock: FakeClock, delivery: Delivery): Bot {
  const db = openSqlite(file);
  const profiles = new ProfileRepository(db, silentLogger);
  const nudges = new NudgeRepository(db);
  const outbox = new OutboxRepository(db);
  const sender = createOutboxSender({ outbox, deliveries: new Map([['terminal', delivery]]), clock, logger: silentLogger });
  const scheduler = createReminderScheduler({
    catalog,
    texts: loadDialogueTexts(),
    profiles,
    nudges,
    outbox,
    clock,
    logger: silentLogger,
    options: { leadDays: [30, 7, 1], hour: 9, timeZone: 'Asia/Shanghai', catchUpDays: 30 },
  });
  return {
    scheduler,
    sender,
    profiles,
    nudges,
    async step() {
      await scheduler.tick();
      await sender.flush();
    },
    async close() {
      // like a process that ends: a delivery still hanging is abandoned, not waited for
      void sender.stop();
      await db.close();
    },
  };
}

const key = { channel: 'terminal', userId: 'u1', chatId: 'c1' };
const outlet = (filingDate: string) => profileSchema.parse({ programme: 'outlet-filing', filingDate });

/** Ticks every 6 hours until `untilIso`. */
async function runUntil(bot: Bot, clock: FakeClock, untilIso: string): Promise<void> {
  const end = Date.parse(untilIso);
  while (clock.now().getTime() < end) {
    clock.advance(6 * HOUR);
    await bot.step();
  }
}

const EXPECTED_2024_03_15 = [
  ['2025-01-01', '工作总结'],
  ['2025-01-24', '工作总结'],
  ['2025-01-30', '工作总结'],
  ['2026-01-01', '工作总结'],
  ['2026-01-24', '工作总结'],
  ['2026-01-30', '工作总结'],
  ['2027-01-01', '工作总结'],
  ['2027-01-24', '工作总结'],
  ['2027-01-30', '工作总结'],
  ['2027-02-13', '有效期'],
  ['2027-03-08', '有效期'],
  ['2027-03-14', '有效期'],
];

describe('deadline nudges over years with a fake clock', () => {
  it('sends the right nudges on the right days for a filing on 2024-03-15, each once', async () => {
    const clock = new FakeClock(Date.parse('2024-03-16T00:00:00+08:00'));
    const sent: Sent[] = [];
    const bot = openBot(path.join(tempDir(), 'bot.sqlite'), clock, recorder(clock, sent));
    await bot.profiles.save(key, outlet('2024-03-15'), clock.now());
    await runUntil(bot, clock, '2027-06-30T00:00:00+08:00');
    expect(sent.map((s) => [s.localDate, s.text.includes('工作总结') ? '工作总结' : s.text.includes('有效期') ? '有效期' : s.text])).toEqual(EXPECTED_2024_03_15);
    const first = sent[0]?.text ?? '';
    expect(first).toContain('截止日期：2025年1月31日（还有 30 天）');
    expect(first).toContain('第十七条');
    expect(first).toContain('1 月底前按要求报送上一年度工作总结');
    expect(sent[9]?.text).toContain('截止日期：2027年3月15日');
    expect(sent[9]?.text).toContain('第九条');
    expect(sent.every((s) => s.target.chatId === 'c1' && !s.text.includes('补发'))).toBe(true);
    await bot.close();
  });

  it('delivers a nudge again, once, when the process dies while delivering it', async () => {
    const file = path.join(tempDir(), 'bot.sqlite');
    const clock = new FakeClock(Date.parse('2024-12-31T12:00:00+08:00'));
    const sent: Sent[] = [];
    // First process: delivery hangs forever, as if the process were killed mid-send.
    const hanging: Delivery = { deliver: () => new Promise<void>(() => undefined) };
    const first = openBot(file, clock, hanging);
    await first.profiles.save(key, outlet('2024-03-15'), clock.now());
    clock.set('2025-01-01T10:00:00+08:00');
    await first.scheduler.tick();
    void first.sender.flush();
    await new Promise((r) => setTimeout(r, 50));
    await first.close();
    // Second process over the same file: once the lease has run out the nudge is delivered; then the next ones.
    const second = openBot(file, clock, recorder(clock, sent));
    await runUntil(second, clock, '2025-02-05T00:00:00+08:00');
    expect(sent.map((s) => s.localDate)).toEqual(['2025-01-01', '2025-01-24', '2025-01-30']);
    expect(await second.nudges.sentFor('terminal', 'u1')).toHaveLength(3);
    await second.close();
    // A third start after a clean send: nothing repeats.
    const third = openBot(file, clock, recorder(clock, sent));
    await runUntil(third, clock, '2025-02-10T00:00:00+08:00');
    expect(sent).toHaveLength(3);
    await third.close();
  });

  it('after a two-week outage sends the nudge that fell due once, marked late, and drops ones whose deadline passed', async () => {
    const file = path.join(tempDir(), 'bot.sqlite');
    const clock = new FakeClock(Date.parse('2026-12-01T00:00:00+08:00'));
    const sent: Sent[] = [];
    const bot = openBot(file, clock, recorder(clock, sent));
    await bot.profiles.save(key, outlet('2024-03-15'), clock.now());
    await runUntil(bot, clock, '2027-01-15T00:00:00+08:00');
    expect(sent.map((s) => s.localDate)).toEqual(['2027-01-01']);
    await bot.close();
    // Down from 2027-01-15 to 2027-01-29: the 7-day nudge (01-24) fell in the outage.
    clock.set('2027-01-29T08:00:00+08:00');
    const restarted = openBot(file, clock, recorder(clock, sent));
    await restarted.step();
    expect(sent).toHaveLength(2);
    expect(sent[1]?.localDate).toBe('2027-01-29');
    expect(sent[1]?.text).toContain('补发');
    expect(sent[1]?.text).toContain('还有 2 天');
    await runUntil(restarted, clock, '2027-02-01T00:00:00+08:00');
    expect(sent.map((s) => s.localDate)).toEqual(['2027-01-01', '2027-01-29', '2027-01-30']);
    await restarted.close();

    // Another outage across a whole deadline: nothing stale is sent afterwards.
    const staleClock = new FakeClock(Date.parse('2027-12-20T00:00:00+08:00'));
    const staleSent: Sent[] = [];
    const s1 = openBot(path.join(tempDir(), 'bot.sqlite'), staleClock, recorder(staleClock, staleSent));
    await s1.profiles.save(key, outlet('2024-03-15'), staleClock.now());
    await runUntil(s1, staleClock, '2028-01-20T00:00:00+08:00');
    expect(staleSent.map((s) => s.localDate)).toEqual(['2028-01-01']);
    staleClock.set('2028-02-03T10:00:00+08:00');
    await s1.step();
    expect(staleSent).toHaveLength(1);
    await s1.close();
  });

  it('sends nothing after /remind off, and again after /remind on', async () => {
    const clock = new FakeClock(Date.parse('2025-12-01T00:00:00+08:00'));
    const sent: Sent[] = [];
    const bot = openBot(path.join(tempDir(), 'bot.sqlite'), clock, recorder(clock, sent));
    await bot.profiles.save(key, outlet('2024-03-15'), clock.now());
    await runUntil(bot, clock, '2026-01-10T00:00:00+08:00');
    expect(sent).toHaveLength(1);
    const off = { ...outlet('2024-03-15'), remindersOff: true };
    await bot.profiles.save(key, off, clock.now());
    await bot.nudges.cancelPending('terminal', 'u1');
    await bot.scheduler.replan(key, off);
    await runUntil(bot, clock, '2026-06-01T00:00:00+08:00');
    expect(sent).toHaveLength(1);
    const on = { ...off, remindersOff: false };
    await bot.profiles.save(key, on, clock.now());
    await bot.scheduler.replan(key, on);
    await runUntil(bot, clock, '2027-01-05T00:00:00+08:00');
    expect(sent.map((s) => s.localDate)).toEqual(['2026-01-01', '2027-01-01']);
    await bot.close();
  });

  it('nudges a regional target only for an institution in that region', async () => {
    const clock = new FakeClock(Date.parse('2025-11-20T00:00:00+08:00'));
    const sent: Sent[] = [];
    const bot = openBot(path.join(tempDir(), 'bot.sqlite'), clock, recorder(clock, sent));
    await bot.profiles.save(key, profileSchema.parse({ programme: 'outlet-filing', filingDate: '2024-03-15', form: { 'cover:recommender': '广东省知识产权局' } }), clock.now());
    await bot.profiles.save({ ...key, userId: 'u2', chatId: 'c2' }, profileSchema.parse({ programme: 'outlet-filing', filingDate: '2024-03-15', form: { 'cover:recommender': '浙江省知识产权局' } }), clock.now());
    await runUntil(bot, clock, '2025-12-31T00:00:00+08:00');
    const targets = sent.filter((s) => s.text.includes('50 家'));
    expect(targets.map((s) => [s.target.userId, s.localDate])).toEqual([
      ['u1', '2025-12-01'],
      ['u1', '2025-12-24'],
      ['u1', '2025-12-30'],
    ]);
    await bot.close();
  });

  it('retries a failed delivery with back-off and delivers it once', async () => {
    const clock = new FakeClock(Date.parse('2024-12-31T12:00:00+08:00'));
    const sent: Sent[] = [];
    const bot = openBot(path.join(tempDir(), 'bot.sqlite'), clock, recorder(clock, sent, 2));
    await bot.profiles.save(key, outlet('2024-03-15'), clock.now());
    clock.set('2025-01-01T09:30:00+08:00');
    expect((await bot.scheduler.tick()).queued).toBe(1);
    await bot.sender.flush(); // fails: retried after a back-off, not at once
    expect(sent).toHaveLength(0);
    clock.advance(2 * 60_000);
    await bot.step(); // fails again
    expect(sent).toHaveLength(0);
    clock.advance(10 * 60_000);
    await bot.step();
    expect(sent).toHaveLength(1);
    clock.advance(DAY);
    await bot.step();
    expect(sent.map((s) => s.localDate)).toEqual(['2025-01-01']);
    expect(await bot.nudges.sentFor('terminal', 'u1')).toHaveLength(1);
    await bot.close();
  });
});

describe('planning weeks ahead in one pass plans exactly the nudges the deadlines call for', () => {
  it('over two years, a mixed population gets, day by day, the nudges computed afresh from each profile', async () => {
    const dir = tempDir();
    const db = openSqlite(path.join(dir, 'bot.sqlite'));
    const profiles = new ProfileRepository(db, silentLogger);
    const nudges = new NudgeRepository(db);
    const clock = new FakeClock(Date.parse('2025-01-01T10:00:00+08:00'));
    const leadDays = [30, 7, 1];
    const scheduler = createReminderScheduler({
      catalog,
      texts: loadDialogueTexts(),
      profiles,
      nudges,
      outbox: new OutboxRepository(db),
      clock,
      logger: silentLogger,
      options: { leadDays, hour: 9, timeZone: 'Asia/Shanghai', catchUpDays: 0 },
    });
    // Programmes, filing dates, rectification notices, a region with targets, English speakers, unsubscribed ones.
    const rand = seededRandom(11);
    const population = Array.from({ length: 40 }, (_, i) => {
      const programme = catalog.programmes[i % 3 === 0 ? 1 : 0];
      if (!programme) throw new Error('no programme');
      const start = addDays('2021-06-01', Math.floor(rand() * 1300));
      const dates: Record<string, string> = { [startingDate(programme).id]: start };
      const notice = programme.dates.find((d) => !d.starts);
      if (notice && i % 4 === 1) dates[notice.id] = addDays('2024-09-01', Math.floor(rand() * 300));
      const profile = profileSchema.parse({ programme: programme.id, dates, form: i % 5 === 2 ? { province: '广东省' } : {}, language: i % 6 === 3 ? 'en' : 'auto', remindersOff: i % 9 === 4 });
      const key = { channel: 'telegram', userId: `u${i}`, chatId: `c${i}` };
      return { key, profile, programme };
    });
    for (const p of population) await profiles.save(p.key, p.profile, clock.now());
    const days = 800;
    for (let d = 0; d < days; d++) {
      await scheduler.tick();
      clock.advance(DAY);
    }
    const first = '2025-01-01';
    const last = addDays(first, days - 1);
    const planned = (await db.all<{ userId: string; k: string; lead: number; sendAt: string; payload: string }>('SELECT user_id AS "userId", deadline_key AS k, lead_days AS lead, send_at AS "sendAt", payload FROM nudges'))
      .filter((r) => r.sendAt <= atLocalHour(last, 9, 'Asia/Shanghai').toISOString())
      .map((r) => `${r.userId}|${r.k}|${r.lead}|${r.sendAt}|${(JSON.parse(r.payload) as { label: string }).label}`)
      .sort();
    const expected = population
      .filter((p) => !p.profile.remindersOff)
      .flatMap((p) =>
        deadlinesFor(p.programme, p.profile, catalog.data.targets, first, addDays(last, Math.max(...leadDays))).flatMap((d) =>
          leadDays
            .map((lead) => ({ lead, on: addDays(d.due, -lead) }))
            .filter(({ on }) => on >= first && on <= last)
            .map(({ lead, on }) => `${p.key.userId}|${d.key}|${lead}|${atLocalHour(on, 9, 'Asia/Shanghai').toISOString()}|${p.profile.language === 'en' ? (d.en?.label ?? d.label) : d.label}`),
        ),
      )
      .sort();
    expect(expected.length).toBeGreaterThan(100);
    expect(planned).toEqual(expected);
    await db.close();
  });
});
