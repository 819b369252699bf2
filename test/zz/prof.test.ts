import { it } from 'vitest';
import { createOutboxSender } from '../../src/core/outbox-sender.js';
import { silentLogger } from '../../src/core/logger.js';
import { profileSchema } from '../../src/core/profile.js';
import { addDays } from '../../src/core/dates.js';
import { loadDialogueTexts } from '../../src/flows/dialogue-text.js';
import { createCatalog } from '../../src/programmes/catalog.js';
import { loadProgrammes } from '../../src/programmes/load-programmes.js';
import { startingDate } from '../../src/programmes/schema.js';
import { createReminderScheduler } from '../../src/reminders/reminder-scheduler.js';
import { seededRandom } from '../../src/retrieval/linear-algebra.js';
import { loadCorpus } from '../../src/corpus/load-corpus.js';
import { NudgeRepository } from '../../src/storage/nudge-repository.js';
import { OutboxRepository } from '../../src/storage/outbox-repository.js';
import { openPostgres } from '../../src/storage/postgres/postgres-sql.js';
import { ProfileRepository } from '../../src/storage/profile-repository.js';
import { freshSchema, TEST_DATABASE_URL } from '../helpers/databases.js';
import { FakeClock, HOUR } from '../helpers/fake-clock.js';
import { CORPUS_DIR } from '../helpers/paths.js';
it('prof', async () => {
  const schema = freshSchema();
  const docs = await loadCorpus(CORPUS_DIR);
  const catalog = createCatalog(await loadProgrammes(CORPUS_DIR), docs);
  const clock = new FakeClock(Date.parse('2025-01-01T00:00:00+08:00'));
  const sql = await openPostgres({ url: TEST_DATABASE_URL, schema, poolSize: 4 });
  const outbox = new OutboxRepository(sql);
  let n = 0;
  const sender = createOutboxSender({ outbox, deliveries: new Map([['telegram', { deliver: async () => void n++ }]]), clock, logger: silentLogger, leaseMs: HOUR });
  const scheduler = createReminderScheduler({ catalog, texts: loadDialogueTexts(), profiles: new ProfileRepository(sql, silentLogger), nudges: new NudgeRepository(sql), outbox, clock, logger: silentLogger, options: { leadDays: [30, 7, 1], hour: 9, timeZone: 'Asia/Shanghai', catchUpDays: 0 } });
  const rand = seededRandom(3);
  await sql.transaction(async (tx) => {
    const profiles = new ProfileRepository(tx, silentLogger);
    for (let i = 0; i < 2000; i++) {
      const programme = catalog.programmes[i % 4 === 0 ? catalog.programmes.length - 1 : 0]!;
      await profiles.save({ channel: 'telegram', userId: `u${i}`, chatId: `c${i}` }, profileSchema.parse({ programme: programme.id, dates: { [startingDate(programme).id]: addDays('2021-01-01', Math.floor(rand() * 1460)) } }), clock.now());
    }
  });
  let tTick = 0, tFlush = 0;
  for (let s = 0; s < 365 * 4; s++) {
    let t = performance.now();
    await scheduler.tick();
    tTick += performance.now() - t;
    t = performance.now();
    await sender.flush();
    tFlush += performance.now() - t;
    clock.advance(6 * HOUR);
  }
  console.log({ tTick, tFlush, n });
  await sql.run(`DROP SCHEMA ${schema} CASCADE`);
  await sql.close();
}, 600000);
