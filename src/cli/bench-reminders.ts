import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { addDays } from '../core/dates.js';
import { silentLogger } from '../core/logger.js';
import { profileSchema } from '../core/profile.js';
import { loadDialogueTexts } from '../flows/dialogue-text.js';
import type { ProgrammeCatalog } from '../programmes/catalog.js';
import { startingDate } from '../programmes/schema.js';
import { createReminderScheduler } from '../reminders/reminder-scheduler.js';
import { seededRandom } from '../retrieval/linear-algebra.js';
import { NudgeRepository } from '../storage/nudge-repository.js';
import { OutboxRepository } from '../storage/outbox-repository.js';
import { openPostgres } from '../storage/postgres/postgres-sql.js';
import { ProfileRepository } from '../storage/profile-repository.js';
import type { Sql } from '../storage/sql.js';
import { openSqlite } from '../storage/sqlite-sql.js';

export interface ReminderBench {
  profiles: number;
  days: number;
  ticks: number;
  sent: number;
  ms: number;
  rssGrowthMb: number;
}

/**
 * 10,000 institution profiles through one simulated year of hourly scheduler ticks on a real
 * database: planning and claiming every nudge into the outbox.
 */
export async function benchReminders(catalog: ProgrammeCatalog, sql: Sql): Promise<ReminderBench> {
  const rand = seededRandom(7);
  let t = Date.parse('2025-01-01T00:00:00+08:00');
  const clock = { now: () => new Date(t) };
  const count = 10_000;
  await sql.transaction(async (tx) => {
    const profiles = new ProfileRepository(tx, silentLogger);
    for (let i = 0; i < count; i++) {
      const filing = addDays('2021-01-01', Math.floor(rand() * 1460));
      // Programmes in turn, weighted towards the first (most institutions file as outlets).
      const programme = catalog.programmes[i % 5 === 0 ? catalog.programmes.length - 1 : 0];
      if (!programme) throw new Error('no programme in the catalog');
      const dates = { [startingDate(programme).id]: filing };
      await profiles.save({ channel: 'telegram', userId: `u${i}`, chatId: `c${i}` }, profileSchema.parse({ programme: programme.id, dates }), clock.now());
    }
  });
  let sent = 0;
  const scheduler = createReminderScheduler({
    catalog,
    texts: loadDialogueTexts(),
    profiles: new ProfileRepository(sql, silentLogger),
    nudges: new NudgeRepository(sql),
    outbox: new OutboxRepository(sql),
    clock,
    logger: silentLogger,
    options: { leadDays: [30, 7, 1], hour: 9, timeZone: 'Asia/Shanghai', catchUpDays: 0 },
  });
  const rssBefore = process.memoryUsage().rss;
  const start = performance.now();
  const days = 365;
  let ticks = 0;
  for (let h = 0; h < days * 24; h++) {
    sent += (await scheduler.tick()).queued;
    ticks++;
    t += 3_600_000;
  }
  const ms = performance.now() - start;
  return { profiles: count, days, ticks, sent, ms, rssGrowthMb: (process.memoryUsage().rss - rssBefore) / 1_048_576 };
}

export async function benchRemindersOnSqlite(catalog: ProgrammeCatalog, dataDir: string): Promise<ReminderBench> {
  const sql = openSqlite(path.join(dataDir, 'bench-reminders.sqlite'));
  try {
    return await benchReminders(catalog, sql);
  } finally {
    await sql.close();
  }
}

/** The same on PostgreSQL, in a schema of its own (dropped after); undefined when no server answers. */
export async function benchRemindersOnPostgres(catalog: ProgrammeCatalog, url: string): Promise<ReminderBench | undefined> {
  const schema = `bench_${process.pid}`;
  const sql = await openPostgres({ url, schema }).catch(() => undefined);
  if (!sql) return undefined;
  try {
    return await benchReminders(catalog, sql);
  } finally {
    await sql.run(`DROP SCHEMA ${schema} CASCADE`).catch(() => {});
    await sql.close();
  }
}
