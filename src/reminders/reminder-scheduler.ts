import { addDays, atLocalHour, todayIn, type IsoDate } from '../core/dates.js';
import type { Logger } from '../core/logger.js';
import type { Clock } from '../core/ports.js';
import type { InstitutionProfile, UserKey } from '../core/profile.js';
import type { ProgrammeCatalog } from '../programmes/catalog.js';
import type { Programme } from '../programmes/schema.js';
import type { NewNudge, NudgeRepository, NudgeRow } from '../storage/nudge-repository.js';
import type { OutboxRepository } from '../storage/outbox-repository.js';
import type { StoredProfile } from '../storage/profile-repository.js';
import { deadlinesFor, type DeadlineInstance } from './compute-deadlines.js';
import { nudgePayloadSchema, renderNudge, type NudgePayload } from './nudge-message.js';
import type { DialogueTexts } from '../flows/dialogue-text.js';

export interface ReminderOptions {
  leadDays: number[];
  hour: number;
  timeZone: string;
  catchUpDays: number;
}

export interface TickResult {
  planned: number;
  /** handed to the outbox, which delivers them (and retries) */
  queued: number;
  stale: number;
  superseded: number;
}

export interface ReminderScheduler {
  /** Plans newly due nudges and sends those whose time has come. Safe to call at any rate. */
  tick(): Promise<TickResult>;
  /** After a user's dates or subscription changed: drop their pending nudges and plan again. */
  replan(key: UserKey & { chatId: string }, profile: InstitutionProfile): Promise<void>;
  start(intervalMs: number): void;
  stop(): void;
}

export interface SchedulerDeps {
  catalog: ProgrammeCatalog;
  /** what the nudges say, by language */
  texts: DialogueTexts;
  profiles: { all(): Promise<StoredProfile[]> };
  nudges: NudgeRepository;
  outbox: OutboxRepository;
  /** nudges were queued: the sender may look now */
  onQueued?(): void;
  clock: Clock;
  logger: Logger;
  options: ReminderOptions;
}

const PLANNED_THROUGH = 'planned_through';
/** How far ahead a profile's deadlines are computed at once (then filtered day by day). */
const WINDOW_DAYS = 400;
/** How far ahead nudges are planned in one pass over the profiles. */
const HORIZON_DAYS = 31;
/** Due nudges taken per tick (more wait for the next tick). */
const DUE_BATCH = 1000;
/** quietUntil when nothing is pending: later than any instant. */
const NOTHING_PENDING = '9999-12-31T00:00:00.000Z';
/** A nudge sent this long after its time is marked 补发 (late). */
const LATE_AFTER_MS = 6 * 3_600_000;

/**
 * Deadline nudges with state in SQLite. Planning is idempotent (one row per user, deadline and
 * lead time); a due nudge is queued into the outbox under that key in one transaction, and the
 * outbox delivers it at least once (leases, retries) and marks it sent. After downtime, nudges
 * that fell due are sent once, marked late, only the most recent lead time per deadline;
 * nudges whose deadline has passed are not sent (stale).
 */
export function createReminderScheduler(deps: SchedulerDeps): ReminderScheduler {
  const { options } = deps;
  const maxLead = Math.max(0, ...options.leadDays);
  const minLead = Math.min(...options.leadDays);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<TickResult> | undefined;
  /** no pending nudge is due before this instant (ISO), as of the last look; undefined: look */
  let quietUntil: string | undefined;
  /** The instant a date's nudges go out, made once per date (many profiles share a deadline). */
  const sendTimes = new Map<IsoDate, string>();
  const sendAtOf = (date: IsoDate): string => {
    let at = sendTimes.get(date);
    if (at === undefined) {
      at = atLocalHour(date, options.hour, options.timeZone).toISOString();
      sendTimes.set(date, at);
    }
    return at;
  };

  /**
   * A profile's deadlines over a year ahead, computed once and reused every day until the window
   * passes or the profile changes (the repository hands out the same object while its stored text
   * is unchanged): the daily plan only filters them. deadlinesFor is pure and restricting its window
   * restricts its result, so the nudges are the same as computing them afresh each day.
   */
  const ahead = new WeakMap<StoredProfile['profile'], { from: IsoDate; to: IsoDate; items: Array<{ d: DeadlineInstance; payload: string }> }>();
  const deadlinesWithin = (p: StoredProfile, programme: Programme, from: IsoDate, to: IsoDate): Array<{ d: DeadlineInstance; payload: string }> => {
    let cached = ahead.get(p.profile);
    if (!cached || from < cached.from || to > cached.to) {
      const until = addDays(to, WINDOW_DAYS);
      const items = deadlinesFor(programme, p.profile, deps.catalog.data.targets, from, until).map((d) => ({ d, payload: JSON.stringify(payloadFor(d, p.profile)) }));
      cached = { from, to: until, items };
      ahead.set(p.profile, cached);
    }
    return cached.items.filter(({ d }) => d.due >= from && d.due <= to);
  };

  const payloadFor = (d: DeadlineInstance, profile: StoredProfile['profile']): NudgePayload => {
    const cite = deps.catalog.cite(d.source);
    // In the language the user chose, or last wrote in: the label and preparation as reviewed in it.
    const english = profile.language === 'en' || (profile.language === 'auto' && profile.lastLanguage === 'en');
    const label = (english ? d.en?.label : undefined) ?? d.label;
    const prepare = (english ? d.en?.prepare : undefined) ?? d.prepare;
    return { label, due: d.due, ...(prepare ? { prepare } : {}), title: cite.title, article: cite.article, quote: cite.quote, ...(english ? { lang: 'en' as const } : {}) };
  };

  const planFor = (p: StoredProfile, from: IsoDate, to: IsoDate): NewNudge[] => {
    if (p.profile.remindersOff) return [];
    const programme = deps.catalog.byId(p.profile.programme ?? '');
    if (!programme) return [];
    const out: NewNudge[] = [];
    for (const { d, payload } of deadlinesWithin(p, programme, addDays(from, minLead), addDays(to, maxLead))) {
      for (const lead of options.leadDays) {
        const sendDate = addDays(d.due, -lead);
        if (sendDate < from || sendDate > to) continue;
        out.push({
          channel: p.channel,
          userId: p.userId,
          chatId: p.chatId,
          deadlineKey: d.key,
          leadDays: lead,
          dueDate: d.due,
          sendAt: sendAtOf(sendDate),
          payload,
        });
      }
    }
    return out;
  };

  /**
   * Plans every profile's nudges for the days not planned yet, up to a horizon ahead, in one pass
   * and one write: the profiles are read once per horizon, not every day. A profile that changes
   * in between is planned again at once (replan: its saves go through it).
   */
  const plan = async (today: IsoDate): Promise<number> => {
    const through = await deps.nudges.getState(PLANNED_THROUGH);
    if (through && through > today) return 0;
    const earliest = addDays(today, -options.catchUpDays);
    const from = through && addDays(through, 1) > earliest ? addDays(through, 1) : earliest;
    const to = addDays(today, HORIZON_DAYS);
    const planned = await deps.nudges.plan((await deps.profiles.all()).flatMap((p) => planFor(p, from, to)));
    await deps.nudges.setState(PLANNED_THROUGH, to);
    return planned;
  };

  /**
   * What to do with the due nudges taken: several lead times of one deadline due at once (after
   * downtime): only the closest is sent, the others superseded; a nudge whose deadline has passed
   * is stale (not sent).
   */
  const decide = (due: NudgeRow[], today: IsoDate, now: Date) => {
    const closest = new Map<string, NudgeRow>();
    const deadlineOf = (row: NudgeRow): string => `${row.channel}\u0000${row.userId}\u0000${row.deadlineKey}`;
    for (const row of due) {
      const kept = closest.get(deadlineOf(row));
      if (!kept || row.leadDays < kept.leadDays) closest.set(deadlineOf(row), row);
    }
    return due.map((row) => {
      if (closest.get(deadlineOf(row)) !== row) return { row, status: 'superseded' as const };
      if (row.dueDate < today) return { row, status: 'stale' as const };
      const late = now.getTime() - Date.parse(row.sendAt) > LATE_AFTER_MS;
      return { row, reply: renderNudge(nudgePayloadSchema.parse(JSON.parse(row.payload)), today, late, deps.texts), late };
    });
  };

  const tick = async (): Promise<TickResult> => {
    const now = deps.clock.now();
    const today = todayIn(now, options.timeZone);
    const result: TickResult = { planned: await plan(today), queued: 0, stale: 0, superseded: 0 };
    // Most ticks have nothing due: the next send time is known until something is planned again.
    if (result.planned > 0) quietUntil = undefined;
    if (quietUntil !== undefined && now.toISOString() < quietUntil) return result;
    const taken = await deps.nudges.take(now, DUE_BATCH, deps.outbox, (due) => decide(due, today, now));
    if (taken.rows < DUE_BATCH) quietUntil = (await deps.nudges.nextSendAt()) ?? NOTHING_PENDING;
    result.queued = taken.queued;
    result.stale = taken.marked['stale'] ?? 0;
    result.superseded = taken.marked['superseded'] ?? 0;
    if (result.queued > 0) deps.onQueued?.();
    return result;
  };

  const api: ReminderScheduler = {
    tick() {
      // Ticks never overlap: a slow delivery delays the next tick rather than doubling it.
      running = (running ?? Promise.resolve(undefined as unknown as TickResult)).then(tick, tick);
      return running;
    },
    async replan(key, profile) {
      quietUntil = undefined;
      await deps.nudges.deletePending(key.channel, key.userId);
      const today = todayIn(deps.clock.now(), options.timeZone);
      const through = (await deps.nudges.getState(PLANNED_THROUGH)) ?? addDays(today, 1);
      await deps.nudges.plan(planFor({ ...key, profile }, today, through));
    },
    start(intervalMs) {
      if (timer) return;
      const run = (): void => {
        api.tick().catch((e: unknown) => deps.logger.error('reminder tick failed', { error: (e as Error).message }));
      };
      run();
      timer = setInterval(run, intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
  return api;
}
