import { addDays, atLocalHour, todayIn, type IsoDate } from '../core/dates.js';
import type { Logger } from '../core/logger.js';
import type { Clock, Delivery } from '../core/ports.js';
import type { InstitutionProfile, UserKey } from '../core/profile.js';
import type { ProgrammeCatalog } from '../programmes/catalog.js';
import type { NewNudge, NudgeRepository, NudgeRow } from '../storage/nudge-repository.js';
import type { StoredProfile } from '../storage/profile-repository.js';
import { deadlinesFor } from './compute-deadlines.js';
import { nudgePayloadSchema, renderNudge, type NudgePayload } from './nudge-message.js';

export interface ReminderOptions {
  leadDays: number[];
  hour: number;
  timeZone: string;
  catchUpDays: number;
  /** attempts before a nudge is given up as failed (each logged). Default 6. */
  maxAttempts?: number;
}

export interface TickResult {
  planned: number;
  sent: number;
  failed: number;
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
  profiles: { all(): StoredProfile[] };
  nudges: NudgeRepository;
  /** delivery by channel name; a channel not running counts as a failed delivery (retried) */
  deliveries: Map<string, Delivery>;
  clock: Clock;
  logger: Logger;
  options: ReminderOptions;
}

const PLANNED_THROUGH = 'planned_through';
/** A nudge sent this long after its time is marked 补发 (late). */
const LATE_AFTER_MS = 6 * 3_600_000;
/** Retry back-off after a failed delivery: 1 min, 5 min, 30 min, 2 h, 6 h. */
const BACKOFF_MS = [60_000, 300_000, 1_800_000, 7_200_000, 21_600_000];

/**
 * Deadline nudges with state in SQLite. Planning is idempotent (one row per user, deadline and
 * lead time); a nudge is marked sent in the transaction that claims it, so a crash or restart
 * never sends it twice. After downtime, nudges that fell due are sent once, marked late, only the
 * most recent lead time per deadline; nudges whose deadline has passed are not sent (stale).
 */
export function createReminderScheduler(deps: SchedulerDeps): ReminderScheduler {
  const { options } = deps;
  const maxLead = Math.max(0, ...options.leadDays);
  const minLead = Math.min(...options.leadDays);
  const maxAttempts = options.maxAttempts ?? 6;
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
      const payload: NudgePayload = { label: d.label, due: d.due, ...(d.prepare ? { prepare: d.prepare } : {}), title: cite.title, article: cite.article, quote: cite.quote };
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

  const send = async (row: NudgeRow, today: IsoDate, now: Date, result: TickResult): Promise<void> => {
    if (row.dueDate < today) {
      deps.nudges.mark(row.id, 'stale');
      result.stale++;
      return;
    }
    const late = now.getTime() - Date.parse(row.sendAt) > LATE_AFTER_MS;
    if (!deps.nudges.claim(row.id, now.toISOString(), late)) return; // someone else took it
    const target = { channel: row.channel, chatId: row.chatId, userId: row.userId };
    try {
      const delivery = deps.deliveries.get(row.channel);
      if (!delivery) throw new Error(`channel ${row.channel} is not running`);
      await delivery.deliver(target, renderNudge(nudgePayloadSchema.parse(JSON.parse(row.payload)), today, late));
      result.sent++;
    } catch (e) {
      const attempt = row.attempts + 1;
      const wait = BACKOFF_MS[Math.min(attempt - 1, BACKOFF_MS.length - 1)] ?? 60_000;
      const retry = attempt < maxAttempts ? new Date(now.getTime() + wait).toISOString() : undefined;
      deps.nudges.release(row.id, retry);
      result.failed++;
      deps.logger.warn(retry ? 'nudge delivery failed, will retry' : 'nudge delivery failed for good', { channel: row.channel, nudge: row.deadlineKey, attempt, error: (e as Error).message });
    }
  };

  const tick = async (): Promise<TickResult> => {
    const now = deps.clock.now();
    const today = todayIn(now, options.timeZone);
    const result: TickResult = { planned: plan(today), sent: 0, failed: 0, stale: 0, superseded: 0 };
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
    for (const row of closest.values()) await send(row, today, now, result);
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
