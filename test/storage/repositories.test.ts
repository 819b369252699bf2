import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import type { IncomingMessage } from '../../src/core/ports.js';
import { profileSchema } from '../../src/core/profile.js';
import { newFlowState } from '../../src/flows/flow-state.js';
import { ChoiceRepository } from '../../src/storage/choice-repository.js';
import { ConversationRepository } from '../../src/storage/conversation-repository.js';
import { InboxRepository } from '../../src/storage/inbox-repository.js';
import { NudgeRepository, type NewNudge } from '../../src/storage/nudge-repository.js';
import { OutboxRepository } from '../../src/storage/outbox-repository.js';
import { ProfileRepository } from '../../src/storage/profile-repository.js';
import { QuestionLogRepository } from '../../src/storage/question-log-repository.js';
import { ReportRepository } from '../../src/storage/report-repository.js';
import { SessionRepository } from '../../src/storage/session-repository.js';
import type { Sql } from '../../src/storage/sql.js';
import { UnitOfWork } from '../../src/storage/unit-of-work.js';
import { UserDataRepository } from '../../src/storage/user-data-repository.js';
import { openTestDatabase, postgresReachable, type TestDatabase } from '../helpers/databases.js';

/**
 * One repository suite, run on both back ends: what the bot relies on from its storage must hold
 * the same on the embedded SQLite file and on a shared PostgreSQL server.
 */
const havePostgres = await postgresReachable();
const BACKENDS = [{ kind: 'sqlite' as const, run: true }, { kind: 'postgres' as const, run: havePostgres }];

const T0 = new Date('2026-03-02T08:00:00.000Z');
const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);
const user = { channel: 'telegram', userId: 'u1' };
const message = (text: string, userId = 'u1'): IncomingMessage => ({ channel: 'telegram', chatId: userId, userId, kind: 'text', text });
const nudge = (userId: string, lead: number, sendAt: string): NewNudge => ({ channel: 'telegram', userId, chatId: userId, deadlineKey: 'annual:2027', leadDays: lead, dueDate: '2027-01-31', sendAt, payload: '{}' });

for (const backend of BACKENDS) {
  describe.skipIf(!backend.run)(`storage on ${backend.kind}`, () => {
    let db: TestDatabase;
    let sql: Sql;
    beforeAll(async () => {
      db = await openTestDatabase(backend.kind);
      sql = db.sql;
      return () => db.drop();
    });
    afterEach(async () => {
      for (const table of ['inbox', 'processed_updates', 'outbox', 'nudges', 'sessions', 'profiles', 'question_log', 'offered_choices', 'conversation_context', 'flow_events']) await sql.run(`DELETE FROM ${table}`);
    });

    it('keeps a dialogue, a profile, the offered choices and the conversation per user, and drops an unreadable session', async () => {
      const sessions = new SessionRepository(sql, silentLogger);
      const profiles = new ProfileRepository(sql, silentLogger);
      const choices = new ChoiceRepository(sql);
      const conversation = new ConversationRepository(sql, silentLogger);
      await sessions.save(user, newFlowState('self-check', T0, { staff: 3 }));
      await profiles.save({ ...user, chatId: 'c1' }, profileSchema.parse({ programme: 'outlet-filing', dates: { filingDate: '2024-03-15' } }), T0);
      await choices.set(user, [{ value: '/check', label: '自查' }], T0);
      await conversation.save(user, { query: '网点要几名专职', articles: ['第五条'], at: T0.toISOString() });
      expect((await sessions.get(user))?.answers).toEqual({ staff: 3 });
      expect((await profiles.get(user)).dates).toEqual({ filingDate: '2024-03-15' });
      expect((await profiles.all()).map((p) => p.chatId)).toEqual(['c1']);
      expect(await choices.get(user)).toEqual([{ value: '/check', label: '自查' }]);
      expect((await conversation.get(user))?.articles).toEqual(['第五条']);
      expect(await sessions.get({ channel: 'telegram', userId: 'nobody' })).toBeUndefined();
      await sql.run(`UPDATE sessions SET state = '{"flow":"nonsense"}'`);
      expect(await sessions.get(user)).toBeUndefined();
      expect(await sql.get('SELECT state FROM sessions')).toBeUndefined();
    });

    it('inbox: a platform id is recorded once; one holder per user at a time; a claim that ran out is taken over', async () => {
      const inbox = new InboxRepository(sql);
      expect(await inbox.accept([{ message: message('一'), platformId: 'p1', queue: true }, { message: message('二'), platformId: 'p2', queue: true }], T0)).toEqual([true, true]);
      expect(await inbox.accept([{ message: message('一'), platformId: 'p1', queue: true }], T0)).toEqual([false]);
      expect(await inbox.pendingCount(user)).toBe(2);
      const first = await inbox.claimNext(user, 'A', T0, at(1));
      expect(first?.message.text).toBe('一');
      // B finds the user held, and does not see them as waiting for a handler.
      expect(await inbox.claimNext(user, 'B', T0, at(1))).toBeUndefined();
      expect(await inbox.pendingUsers(T0, 'B')).toEqual([]);
      expect(await inbox.pendingUsers(T0, 'A')).toEqual([user]);
      // A died: after its claim runs out B takes the same message; A's late commit is refused.
      expect(await inbox.pendingUsers(at(2), 'B')).toEqual([user]);
      const taken = await inbox.claimNext(user, 'B', at(2), at(3));
      expect(taken?.id).toBe(first?.id);
      expect(await sql.transaction((tx) => inbox.completeIn(tx, first?.id ?? 0, 'A'))).toBe(false);
      expect(await sql.transaction((tx) => inbox.completeIn(tx, taken?.id ?? 0, 'B'))).toBe(true);
      expect((await inbox.claimNext(user, 'B', at(2), at(3)))?.message.text).toBe('二');
    });

    it('a handling commits its writes, its replies and the inbox row together; a handling whose claim was lost writes nothing', async () => {
      const inbox = new InboxRepository(sql);
      const outbox = new OutboxRepository(sql);
      const unit = new UnitOfWork(sql, { inbox, outbox, clock: { now: () => T0 } });
      const sessions = new SessionRepository(sql, silentLogger, unit);
      await inbox.accept([{ message: message('开始'), platformId: 'p1', queue: true }, { message: message('三'), platformId: 'p2', queue: true }], T0);
      const entry = await inbox.claimNext(user, 'A', T0, at(1));
      if (!entry) throw new Error('nothing claimed');
      const committed = await unit.commit(entry.id, entry.claim, async () => {
        await sessions.save(user, newFlowState('self-check', T0, { staff: 3 }));
        // read back inside the handling: what it wrote, before anything is committed
        expect((await sessions.get(user))?.answers).toEqual({ staff: 3 });
        expect(await sql.get('SELECT state FROM sessions')).toBeUndefined();
        return [{ channel: 'telegram', chatId: 'u1', userId: 'u1', reply: { text: '第一问' } }];
      });
      expect(committed).toBe(true);
      expect((await sessions.get(user))?.answers).toEqual({ staff: 3 });
      expect((await outbox.heads(T0, 10)).map((r) => r.reply.text)).toEqual(['第一问']);
      expect(await inbox.pendingCount(user)).toBe(1);

      const next = await inbox.claimNext(user, 'A', T0, at(1));
      if (!next) throw new Error('nothing claimed');
      await inbox.claimNext(user, 'B', at(5), at(6)); // A stalled past its claim; B took the message over
      const late = await unit.commit(next.id, next.claim, async () => {
        await sessions.save(user, newFlowState('register', T0));
        return [{ channel: 'telegram', chatId: 'u1', userId: 'u1', reply: { text: '不该发出' } }];
      });
      expect(late).toBe(false);
      expect((await sessions.get(user))?.flow).toBe('self-check');
      expect((await outbox.heads(T0, 10)).map((r) => r.reply.text)).toEqual(['第一问']);
      expect(await inbox.pendingCount(user)).toBe(1);
    });

    it('outbox: per chat in order, one sender per row, a held row waits for the user, delivery marks the nudge sent', async () => {
      const outbox = new OutboxRepository(sql);
      const nudges = new NudgeRepository(sql);
      await outbox.enqueue(
        [
          { channel: 'telegram', chatId: 'c1', userId: 'u1', reply: { text: '一', choices: [{ value: '1', label: '是' }] } },
          { channel: 'telegram', chatId: 'c1', userId: 'u1', reply: { text: '二' } },
          { channel: 'telegram', chatId: 'c2', userId: 'u2', reply: { text: '甲', file: { name: 'a.docx', mimeType: 'x', data: Buffer.from('PK') } } },
        ],
        T0,
      );
      const heads = await outbox.heads(T0, 10);
      expect(heads.map((r) => r.reply.text)).toEqual(['一', '甲']);
      expect(heads[0]?.reply.choices).toEqual([{ value: '1', label: '是' }]);
      expect(heads[1]?.reply.file?.data.toString()).toBe('PK');
      const [one, jia] = heads;
      if (!one || !jia) throw new Error('no heads');
      expect(await outbox.lease(one.id, T0, at(1))).toBe(true);
      expect(await outbox.lease(one.id, T0, at(1))).toBe(false);
      // leased: the chat's next row does not overtake it
      expect((await outbox.heads(T0, 10)).map((r) => r.reply.text)).toEqual(['甲']);
      await outbox.delivered(one.id, T0);
      expect((await outbox.heads(T0, 10)).map((r) => r.reply.text)).toEqual(['二', '甲']);
      await outbox.hold(jia.id);
      expect((await outbox.heads(T0, 10)).map((r) => r.reply.text)).toEqual(['二']);
      expect(await outbox.release({ channel: 'telegram', userId: 'u2' })).toBe(1);
      expect(await outbox.pendingFor('telegram', 'c2')).toBe(1);
      expect(await outbox.failChat('telegram', 'c2', 'blocked')).toBe(1);
      expect(await outbox.pendingFor('telegram', 'c2')).toBe(0);

      await nudges.plan([nudge('u3', 30, T0.toISOString())]);
      const taken = await nudges.take(at(1), 10, outbox, (rows) => rows.map((row) => ({ row, reply: { text: '⏰' }, late: false })));
      expect(taken.queued).toBe(1);
      const row = (await outbox.heads(at(1), 10)).find((r) => r.userId === 'u3');
      expect(row?.nudgeId).toBeDefined();
      await outbox.delivered(row?.id ?? 0, at(2));
      expect((await nudges.sentFor('telegram', 'u3')).map((n) => n.leadDays)).toEqual([30]);
    });

    it('nudges: planning twice plans once; a due nudge is queued once, also when two schedulers take at the same moment', async () => {
      const nudges = new NudgeRepository(sql);
      const outbox = new OutboxRepository(sql);
      const plan = Array.from({ length: 60 }, (_, i) => nudge(`u${i}`, 30, T0.toISOString()));
      expect(await nudges.plan(plan)).toBe(60);
      expect(await nudges.plan(plan)).toBe(0);
      const send = (rows: Parameters<Parameters<NudgeRepository['take']>[3]>[0]) => rows.map((row) => ({ row, reply: { text: `⏰ ${row.userId}` }, late: false }));
      const [a, b] = await Promise.all([nudges.take(at(1), 40, outbox, send), nudges.take(at(1), 40, outbox, send)]);
      expect((a?.queued ?? 0) + (b?.queued ?? 0)).toBe(60);
      expect(await sql.get(`SELECT COUNT(*) AS n FROM outbox WHERE nudge_id IS NOT NULL`)).toEqual({ n: 60 });
      expect(await sql.get(`SELECT COUNT(*) AS n FROM nudges WHERE status = 'queued'`)).toEqual({ n: 60 });
      expect((await nudges.take(at(2), 40, outbox, send)).queued).toBe(0);
    });

    it('the demand report counts the same on either database (weeks from Monday, clauses from the citations)', async () => {
      const log = new QuestionLogRepository(sql);
      const record = (question: string, kind: string, day: string, article?: string): Promise<void> =>
        log.record({ channel: 'telegram', userId: 'u1', question, refused: kind !== 'answer', kind, programme: 'outlet-filing', ...(article ? { topic: article } : {}), ...(article && kind === 'answer' ? { citations: [{ doc: 'outlet-filing-measures', article }] } : {}), at: new Date(`${day}T04:00:00.000Z`) });
      await record('网点要几个专职', 'answer', '2026-03-02', '第五条');
      await record('专职人员几名', 'answer', '2026-03-08', '第五条');
      await record('公示几天', 'not_stated', '2026-03-09', '第十一条');
      await record('商标续展费', 'not_covered', '2026-03-10');
      const report = await new ReportRepository(sql).demandReport({ from: '2026-03-01', to: '2026-03-31' });
      expect(report.totals).toEqual({ questions: 4, answered: 2, notStated: 1, notCovered: 1, smalltalk: 0 });
      expect(report.weeks).toEqual([
        { week: '2026-03-02', answered: 2, notStated: 0, notCovered: 0 },
        { week: '2026-03-09', answered: 0, notStated: 1, notCovered: 1 },
      ]);
      expect(report.clauses).toEqual([{ doc: 'outlet-filing-measures', article: '第五条', citations: 2 }]);
      expect(await log.stats()).toEqual({ questions: 4, refused: 2, users: 1 });
    });

    it('/forget removes every row of the user and nobody else’s', async () => {
      const profiles = new ProfileRepository(sql, silentLogger);
      const log = new QuestionLogRepository(sql);
      await profiles.save({ ...user, chatId: 'c1' }, profileSchema.parse({}), T0);
      await profiles.save({ channel: 'telegram', userId: 'u2', chatId: 'c2' }, profileSchema.parse({}), T0);
      await log.record({ channel: 'telegram', userId: 'u1', question: '问', refused: false, at: T0 });
      const data = new UserDataRepository(sql);
      expect(await data.inventory(user)).toMatchObject({ profile: 1, questions: 1 });
      await data.forget(user);
      expect(Object.values(await data.inventory(user)).every((n) => n === 0)).toBe(true);
      expect((await profiles.all()).map((p) => p.userId)).toEqual(['u2']);
    });
  });
}

describe.skipIf(!havePostgres)('PostgreSQL migrations', () => {
  it('several processes starting at once migrate the schema once', async () => {
    const { openPostgres } = await import('../../src/storage/postgres/postgres-sql.js');
    const { TEST_DATABASE_URL, freshSchema } = await import('../helpers/databases.js');
    const schema = freshSchema();
    const opened = await Promise.all(Array.from({ length: 4 }, () => openPostgres({ url: TEST_DATABASE_URL, schema, poolSize: 2 })));
    const [first] = opened;
    expect(await first?.all('SELECT version FROM schema_migrations ORDER BY version')).toEqual([{ version: 1 }]);
    await first?.run(`DROP SCHEMA ${schema} CASCADE`);
    for (const sql of opened) await sql.close();
  });
});
