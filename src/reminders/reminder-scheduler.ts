import { addDays, atLocalHour, todayIn, type IsoDate } from '../core/dates.js';
import type { Logger } from '../core/logger.js';
import type { OutboxStore } from '../core/pipeline-ports.js';
import type { Clock } from '../core/ports.js';
import type { InstitutionProfile, UserKey } from '../core/profile.js';
import type { ProgrammeCatalog } from '../programmes/catalog.js';
import type { NewNudge, NudgeRepository, NudgeRow } from '../storage/nudge-repository.js';
import type { StoredProfile } from '../storage/profile-repository.js';
import { deadlinesFor } from './compute-deadlines.js';
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
  replan(key: UserKey & { chatId: string }, profile: InstitutionProfile): void;
  start(intervalMs: number): void;
  stop(): void;
}

export interface SchedulerDeps {
  catalog: ProgrammeCatalog;
  /** what the nudges say, by language */
  texts: DialogueTexts;
  profiles: { all(): StoredProfile[] };
  nudges: NudgeRepository;
  outbox: OutboxStore;
  /** nudges were queued: the sender may look now */
  onQueued?(): void;
  clock: Clock;
  logger: Logger;
  options: ReminderOptions;
}

const PLANNED_THROUGH = 'planned_through';
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

  const planFor = (p: StoredProfile, from: IsoDate, to: IsoDate): NewNudge[] => {
    if (p.profile.remindersOff) return [];
    const programme = deps.catalog.byId(p.profile.programme ?? '');
    if (!programme) return [];
    const instances = deadlinesFor(programme, p.profile, deps.catalog.data.targets, addDays(from, minLead), addDays(to, maxLead));
    const out: NewNudge[] = [];
    for (const d of instances) {
      const cite = deps.catalog.cite(d.source);
      // In the language the user chose, or last wrote in: the label and preparation as reviewed in it.
      const english = p.profile.language === 'en' || (p.profile.language === 'auto' && p.profile.lastLanguage === 'en');
      const label = (english ? d.en?.label : undefined) ?? d.label;
      const prepare = (english ? d.en?.prepare : undefined) ?? d.prepare;
      const payload: NudgePayload = { label, due: d.due, ...(prepare ? { prepare } : {}), title: cite.title, article: cite.article, quote: cite.quote, ...(english ? { lang: 'en' as const } : {}) };
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
          sendAt: atLocalHour(sendDate, options.hour, options.timeZone).toISOString(),
          payload: JSON.stringify(payload),
        });
      }
    }
    return out;
  };

  const plan = (today: IsoDate): number => {
    const through = deps.nudges.getState(PLANNED_THROUGH);
    const earliest = addDays(today, -options.catchUpDays);
    const from = through && addDays(through, 1) > earliest ? addDays(through, 1) : earliest;
    const to = addDays(today, 1);
    if (from > to) return 0;
    let planned = 0;
    for (const p of deps.profiles.all()) planned += deps.nudges.plan(planFor(p, from, to));
    deps.nudges.setState(PLANNED_THROUGH, to);
    return planned;
  };

  const queue = (row: NudgeRow, today: IsoDate, now: Date, result: TickResult): void => {
    if (row.dueDate < today) {
      deps.nudges.mark(row.id, 'stale');
      result.stale++;
      return;
    }
    const late = now.getTime() - Date.parse(row.sendAt) > LATE_AFTER_MS;
    const reply = renderNudge(nudgePayloadSchema.parse(JSON.parse(row.payload)), today, late, deps.texts);
    if (deps.nudges.queue(row, reply, late, deps.outbox, now)) result.queued++;
  };

  const tick = async (): Promise<TickResult> => {
    const now = deps.clock.now();
    const today = todayIn(now, options.timeZone);
    const result: TickResult = { planned: plan(today), queued: 0, stale: 0, superseded: 0 };
    const due = deps.nudges.due(now.toISOString());
    // Several lead times of one deadline due at once (after downtime): only the closest is sent.
    const closest = new Map<string, NudgeRow>();
    for (const row of due) {
      const key = `${row.channel}\u0000${row.userId}\u0000${row.deadlineKey}`;
      const kept = closest.get(key);
      if (!kept || row.leadDays < kept.leadDays) closest.set(key, row);
    }
    for (const row of due) {
      if (closest.get(`${row.channel}\u0000${row.userId}\u0000${row.deadlineKey}`) !== row) {
        deps.nudges.mark(row.id, 'superseded');
        result.superseded++;
      }
    }
    for (const row of closest.values()) queue(row, today, now, result);
    if (result.queued > 0) deps.onQueued?.();
    return result;
  };

  const api: ReminderScheduler = {
    tick() {
      // Ticks never overlap: a slow delivery delays the next tick rather than doubling it.
      running = (running ?? Promise.resolve(undefined as unknown as TickResult)).then(tick, tick);
      return running;
    },
    replan(key, profile) {
      deps.nudges.deletePending(key.channel, key.userId);
      const today = todayIn(deps.clock.now(), options.timeZone);
      const through = deps.nudges.getState(PLANNED_THROUGH) ?? addDays(today, 1);
      deps.nudges.plan(planFor({ ...key, profile }, today, through));
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
