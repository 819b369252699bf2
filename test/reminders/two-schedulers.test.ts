import { describe, expect, it } from 'vitest';
import { createOutboxSender, type OutboxSender } from '../../src/core/outbox-sender.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Delivery, DeliveryTarget, Reply } from '../../src/core/ports.js';
import { profileSchema } from '../../src/core/profile.js';
import { addDays } from '../../src/core/dates.js';
import { loadDialogueTexts } from '../../src/flows/dialogue-text.js';
import { createCatalog } from '../../src/programmes/catalog.js';
import { loadProgrammes } from '../../src/programmes/load-programmes.js';
import { startingDate } from '../../src/programmes/schema.js';
import { createReminderScheduler, type ReminderScheduler } from '../../src/reminders/reminder-scheduler.js';
import { seededRandom } from '../../src/retrieval/linear-algebra.js';
import { loadCorpus } from '../../src/corpus/load-corpus.js';
import { NudgeRepository } from '../../src/storage/nudge-repository.js';
import { OutboxRepository } from '../../src/storage/outbox-repository.js';
import { openPostgres, type PostgresSql } from '../../src/storage/postgres/postgres-sql.js';
import { ProfileRepository } from '../../src/storage/profile-repository.js';
import { freshSchema, postgresReachable, TEST_DATABASE_URL } from '../helpers/databases.js';
import { FakeClock, HOUR } from '../helpers/fake-clock.js';
import { CORPUS_DIR } from '../helpers/paths.js';

/**
 * Two schedulers (two processes' worth: each its own connection pool, scheduler and sender) on
 * one PostgreSQL database over a simulated year of 10,000 institutions. Every due nudge must be
 * delivered exactly once; one scheduler dies mid-year holding deliveries, and the other takes
 * them over when their leases run out.
 */
const havePostgres = await postgresReachable();
const PROFILES = 10_000;

interface Node {
  sql: PostgresSql;
  scheduler: ReminderScheduler;
  sender: OutboxSender;
  alive: boolean;
}

describe.skipIf(!havePostgres)('nudges with two schedulers on one PostgreSQL database', () => {
  it('a year of 10,000 profiles: every due nudge delivered once; a scheduler killed mid-run has its leases taken over', async () => {
    const schema = freshSchema();
    const docs = await loadCorpus(CORPUS_DIR);
    const catalog = createCatalog(await loadProgrammes(CORPUS_DIR), docs);
    const clock = new FakeClock(Date.parse('2025-01-01T00:00:00+08:00'));
    const delivered = new Map<string, number>();
    let hangFrom = Infinity;
    const keyOf = (target: DeliveryTarget, reply: Reply): string => `${target.userId}|${reply.text}`;
    const open = async (name: string): Promise<Node> => {
      const sql = await openPostgres({ url: TEST_DATABASE_URL, schema, poolSize: 4 });
      const outbox = new OutboxRepository(sql);
      const node: Node = { sql, alive: true } as Node;
      const delivery: Delivery = {
        // The victim freezes mid-delivery from `hangFrom` on: the platform never hears of these.
        deliver: (target, reply) => (name === 'victim' && clock.now().getTime() >= hangFrom ? new Promise(() => {}) : Promise.resolve(void delivered.set(keyOf(target, reply), (delivered.get(keyOf(target, reply)) ?? 0) + 1))),
      };
      node.sender = createOutboxSender({ outbox, deliveries: new Map([['telegram', delivery]]), clock, logger: silentLogger, leaseMs: HOUR });
      node.scheduler = createReminderScheduler({
        catalog,
        texts: loadDialogueTexts(),
        profiles: new ProfileRepository(sql, silentLogger),
        nudges: new NudgeRepository(sql),
        outbox,
        clock,
        logger: silentLogger,
        options: { leadDays: [30, 7, 1], hour: 9, timeZone: 'Asia/Shanghai', catchUpDays: 0 },
      });
      return node;
    };
    const survivor = await open('survivor');
    const victim = await open('victim');
    const rand = seededRandom(3);
    await survivor.sql.transaction(async (tx) => {
      const profiles = new ProfileRepository(tx, silentLogger);
      for (let i = 0; i < PROFILES; i++) {
        const programme = catalog.programmes[i % 4 === 0 ? catalog.programmes.length - 1 : 0];
        if (!programme) throw new Error('no programme');
        const dates = { [startingDate(programme).id]: addDays('2021-01-01', Math.floor(rand() * 1460)) };
        await profiles.save({ channel: 'telegram', userId: `u${i}`, chatId: `c${i}` }, profileSchema.parse({ programme: programme.id, dates }), clock.now());
      }
    });

    const year = Date.parse('2026-01-01T00:00:00+08:00');
    // From mid-year the victim freezes in its next deliveries (the platform never hears of them),
    // and dies as soon as it holds some.
    hangFrom = Date.parse('2025-07-01T00:00:00+08:00');
    let leasedAtKill = 0;
    while (clock.now().getTime() < year) {
      const nodes = [survivor, victim].filter((n) => n.alive);
      // both schedulers tick at the same moment, as two processes' timers would
      await Promise.all(nodes.map((n) => n.scheduler.tick()));
      // a frozen victim's flush never ends: it is given a moment, not waited for
      const frozen = (n: Node): boolean => n === victim && clock.now().getTime() >= hangFrom;
      await Promise.all(nodes.map((n) => (frozen(n) ? Promise.race([n.sender.flush(), new Promise((r) => setTimeout(r, 200))]) : n.sender.flush())));
      const leased = Number((await survivor.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM outbox WHERE lease_until > ?`, [clock.now().toISOString()]))?.n ?? 0);
      if (victim.alive && clock.now().getTime() >= hangFrom && leased > 0) {
        // kill -9: no more ticks, no more deliveries, its connections dropped; its leases stay behind
        victim.alive = false;
        leasedAtKill = leased;
        await victim.sql.close().catch(() => {});
      }
      clock.advance(6 * HOUR);
    }
    // At the year's end the survivor catches up at one instant: a tick takes at most 1,000 due
    // nudges (a minute apart in service; here the steps are six hours), so it ticks until none is left.
    const lastTick = clock.now();
    for (let i = 0; i < 50 && (await survivor.scheduler.tick()).queued > 0; i++) await survivor.sender.flush();
    await survivor.sender.flush();

    const sent = Number((await survivor.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM nudges WHERE status = 'sent'`))?.n ?? 0);
    const due = Number((await survivor.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM nudges WHERE send_at <= ? AND status NOT IN ('stale', 'superseded')`, [lastTick.toISOString()]))?.n ?? 0);
    const twice = [...delivered.values()].filter((n) => n > 1).length;
    await survivor.sender.stop();
    await survivor.sql.run(`DROP SCHEMA ${schema} CASCADE`);
    await survivor.sql.close();

    expect(leasedAtKill).toBeGreaterThan(0); // the victim died holding deliveries
    expect(due).toBeGreaterThan(PROFILES); // a year holds more than one nudge per institution
    expect(twice).toBe(0);
    expect(sent).toBe(due);
    expect([...delivered.values()].reduce((a, b) => a + b, 0)).toBe(due);
    process.stdout.write(`two schedulers, ${PROFILES} profiles, one year: ${due} nudges due, ${sent} delivered once each, ${leasedAtKill} taken over from the killed one\n`);
  }, 600_000);
});

