import { chineseToNumber } from '../core/chinese-numerals.js';
import { addDays, addYears, formatIsoChinese, isoDate, parseIsoDate, todayIn, type IsoDate } from '../core/dates.js';
import type { Clock, Reply } from '../core/ports.js';
import type { InstitutionProfile, UserKey } from '../core/profile.js';
import type { ProfileStore } from '../flows/dialogue-service.js';
import type { ProgrammeCatalog } from '../programmes/catalog.js';
import { startingDate } from '../programmes/schema.js';
import type { NudgeRepository } from '../storage/nudge-repository.js';
import { deadlinesFor } from './compute-deadlines.js';
import type { ReminderScheduler } from './reminder-scheduler.js';

export interface RemindDeps {
  catalog: ProgrammeCatalog;
  profiles: ProfileStore;
  nudges: NudgeRepository;
  scheduler: ReminderScheduler;
  clock: Clock;
  timeZone: string;
  leadDays: number[];
}

type Key = UserKey & { chatId: string };

const CN = '〇零一二两三四五六七八九十';
const YEAR = `(\\d{4}|[〇零一二三四五六七八九]{4}|\\d{2}(?=[.．/-])|今年|去年|前年)`;
const PART = `(\\d{1,2}|[${CN}]{1,3})`;
const DATE_RE = new RegExp(`${YEAR}\\s*(?:年|-|/|\\.|．)?\\s*${PART}\\s*(?:月|-|/|\\.|．)\\s*${PART}\\s*[日号]?`);
const QUESTION_RE = /[？?]|吗|什么|怎么|多久|几|啥|哪/;

/**
 * A full calendar date in the text, as staff write it — 2024-03-15, 2024年3月15日, 2024/3/15,
 * 24.3.15, 二〇二四年三月十五日, 今年9月1日, 去年3月15日 (relative years from `today`) — validated.
 */
export function findDate(text: string, today?: IsoDate): IsoDate | undefined {
  const m = DATE_RE.exec(text);
  if (!m?.[1] || !m[2] || !m[3]) return undefined;
  const thisYear = today ? parseIsoDate(today).year : undefined;
  const relative: Record<string, number> = { 今年: 0, 去年: 1, 前年: 2 };
  const digits = m[1].replace(/[〇零一二三四五六七八九]/g, (c) => String('〇一二三四五六七八九'.indexOf(c === '零' ? '〇' : c)));
  const y = m[1] in relative ? (thisYear === undefined ? NaN : thisYear - (relative[m[1]] ?? 0)) : digits.length === 2 ? 2000 + Number(digits) : Number(digits);
  const [mo, d] = [toNumber(m[2]), toNumber(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (!Number.isFinite(y) || y < 1990 || y > 2100 || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return isoDate(y, mo, d);
}

const toNumber = (part: string): number => (/^\d+$/.test(part) ? Number(part) : chineseToNumber(part.replace(/〇/g, '零')));

type Programme = NonNullable<ReturnType<ProgrammeCatalog['byId']>>;
type ProgrammeDate = Programme['dates'][number];

/**
 * Which of the programme's dates a sentence sets: the one whose words it uses (整改 → the
 * rectification notice), else the date the deadlines start from (filing, registration).
 */
function dateField(text: string, programme: Programme): ProgrammeDate {
  return programme.dates.find((d) => !d.starts && d.words.some((w) => text.includes(w))) ?? startingDate(programme);
}

/** The programme a date sentence is about: named, the profile's, the one whose date words it uses, else the first. */
function programmeFor(catalog: ProgrammeCatalog, text: string, profile: InstitutionProfile): Programme | undefined {
  return catalog.mentioned(text)[0] ?? catalog.byId(profile.programme ?? '') ?? catalog.programmes.find((p) => startingDate(p).words.some((w) => text.includes(w))) ?? catalog.programmes[0];
}

const startOf = (programme: Programme, profile: InstitutionProfile): IsoDate | undefined => profile.dates[startingDate(programme).id];

/**
 * /remind (提醒, 订阅, 退订): shows upcoming deadlines computed from the programme data, sets the
 * institution's dates, lists scheduled nudges, turns nudges off and on. Also recognises plain
 * statements such as “我们2023年3月15日备案的”.
 */
export function createRemindHandlers(deps: RemindDeps) {
  const save = (key: Key, profile: InstitutionProfile): void => {
    deps.profiles.save(key, profile, deps.clock.now());
    deps.scheduler.replan(key, profile);
  };

  const upcoming = (profile: InstitutionProfile): Reply[] => {
    const programme = deps.catalog.byId(profile.programme ?? '');
    // Which programme, as numbered choices (“1” works on every channel); then the date.
    if (!programme) {
      return [{ text: '还不知道贵机构办理哪个项目。请选择（也可以先 /check 自查）：', choices: deps.catalog.programmes.map((p) => ({ value: `/remind ${p.short_name}`, label: p.short_name })) }];
    }
    const start = startOf(programme, profile);
    const starting = startingDate(programme);
    if (!start) return [{ text: `请发送${starting.label}，例如 2024-03-15 或“我们2024年3月15日${starting.words[0] ?? ''}的”。` }];
    const today = todayIn(deps.clock.now(), deps.timeZone);
    const list = deadlinesFor(programme, profile, deps.catalog.data.targets, today, addYears(today, 4)).slice(0, 8);
    const lines = [`【${programme.short_name}】${starting.label}：${formatIsoChinese(start)}`];
    for (const d of programme.dates.filter((x) => !x.starts && profile.dates[x.id])) lines.push(`${d.label}：${formatIsoChinese(profile.dates[d.id] ?? '')}`);
    lines.push(...passed(programme, profile, start, today));
    lines.push('即将到来的期限：');
    if (list.length === 0) lines.push('（未来几年没有按文件可推算的期限）');
    for (const d of list) lines.push(`· ${formatIsoChinese(d.due)} — ${d.label}（${deps.catalog.cite(d.source).article}）`);
    lines.push(
      profile.remindersOff
        ? '提醒已关闭，回复 /remind on 重新开启。'
        : `将在每个期限前 ${deps.leadDays.join('、')} 天提醒您。回复 /remind list 查看已安排的提醒，/remind off 退订。`,
    );
    return [{ text: lines.join('\n') }];
  };

  /** What will be sent, and when: planned rows plus the plan for the coming year, minus what was sent. */
  const scheduled = (key: Key, profile: InstitutionProfile): Reply[] => {
    if (profile.remindersOff) return [{ text: '提醒已关闭。回复 /remind on 重新开启。' }];
    const programme = deps.catalog.byId(profile.programme ?? '');
    if (!programme || !startOf(programme, profile)) return upcoming(profile);
    const today = todayIn(deps.clock.now(), deps.timeZone);
    const sent = new Set(deps.nudges.sentFor(key.channel, key.userId).map((r) => `${r.deadlineKey}|${r.leadDays}`));
    const items = deadlinesFor(programme, profile, deps.catalog.data.targets, today, addYears(today, 1))
      .flatMap((d) => deps.leadDays.map((lead) => ({ d, lead, on: addDays(d.due, -lead) })))
      .filter(({ d, lead, on }) => on >= today && !sent.has(`${d.key}|${lead}`))
      .sort((x, y) => (x.on < y.on ? -1 : x.on > y.on ? 1 : 0))
      .slice(0, 12);
    if (items.length === 0) return [{ text: '未来一年没有需要提醒的期限。' }];
    return [{ text: ['已安排的提醒（北京时间上午发送）：', ...items.map(({ d, lead, on }) => `· ${formatIsoChinese(on)}：${d.label}（截止 ${formatIsoChinese(d.due)}，提前 ${lead} 天）`)].join('\n') }];
  };

  /**
   * Periods that already ended, said plainly rather than dropped: a validity term (and when the
   * next ends if it was renewed), a rectification period.
   */
  const passed = (programme: Programme, profile: InstitutionProfile, start: IsoDate, today: IsoDate): string[] => {
    const past = deadlinesFor(programme, profile, deps.catalog.data.targets, start, addDays(today, -1));
    const lines: string[] = [];
    const terms = past.filter((d) => programme.deadlines.find((r) => r.id === d.ruleId)?.kind === 'validity');
    const lastTerm = terms[terms.length - 1];
    if (lastTerm) {
      const next = deadlinesFor(programme, profile, deps.catalog.data.targets, today, addYears(today, 10)).find((d) => d.ruleId === lastTerm.ruleId);
      lines.push(`${terms.length === 1 ? '首个' : `第 ${terms.length} 个`}有效期已于 ${formatIsoChinese(lastTerm.due)} 届满（${deps.catalog.cite(lastTerm.source).article}）${next ? `；如已续期，下次届满为 ${formatIsoChinese(next.due)}` : ''}。如未续期，请按当年通知办理。`);
    }
    for (const d of past.filter((x) => programme.deadlines.find((r) => r.id === x.ruleId)?.kind === 'rectification')) {
      lines.push(`整改期已于 ${formatIsoChinese(d.due)} 届满（${deps.catalog.cite(d.source).article}）：${d.label}。`);
    }
    return lines;
  };

  /** How to send each kind of date, from the programme data (备案日期 or 登记日期; 整改 2025-01-10). */
  const notUnderstood = (): string => {
    const starting = [...new Set(deps.catalog.programmes.map((p) => startingDate(p).label))].join('或');
    const others = deps.catalog.programmes.flatMap((p) => p.dates.filter((d) => !d.starts)).map((d) => `${d.label}请发“/remind ${d.words[0] ?? ''} 2025-01-10”`);
    return [`没看懂这个日期。请按“/remind 2024-03-15”的格式发送${starting}`, ...new Set(others)].join('；') + '。';
  };

  const setDate = (key: Key, text: string): Reply[] | undefined => {
    const date = findDate(text, todayIn(deps.clock.now(), deps.timeZone));
    if (!date) return undefined;
    const profile = deps.profiles.get(key);
    const programme = programmeFor(deps.catalog, text, profile);
    if (!programme) return undefined;
    const field = dateField(text, programme);
    const today = todayIn(deps.clock.now(), deps.timeZone);
    // The starting date has happened; a notice date may be given ahead (a deadline already set).
    if (date > today && field.starts) return [{ text: `${formatIsoChinese(date)} 还没到，请发送已经发生的${field.label}。` }];
    const next: InstitutionProfile = { ...profile, programme: programme.id, dates: { ...profile.dates, [field.id]: date }, remindersOff: false };
    save(key, next);
    return [{ text: `已记录${field.label}：${formatIsoChinese(date)}。` }, ...upcoming(next)];
  };

  return {
    /** the /remind command and its words */
    command(key: Key, args: string): Reply[] {
      const a = args.trim().toLowerCase();
      const profile = deps.profiles.get(key);
      if (/^(off|退订|关闭|停止)$/.test(a)) {
        save(key, { ...profile, remindersOff: true });
        deps.nudges.cancelPending(key.channel, key.userId);
        return [{ text: '已退订：不再发送期限提醒。回复 /remind on 可重新开启。' }];
      }
      if (/^(on|开启|订阅)$/.test(a)) {
        save(key, { ...profile, remindersOff: false });
        return [{ text: '已开启期限提醒。' }, ...upcoming({ ...profile, remindersOff: false })];
      }
      if (/^(list|列表|清单)$/.test(a)) return scheduled(key, profile);
      // “/remind 网点”: the programme alone; the date is asked next.
      const named = deps.catalog.mentioned(args)[0];
      if (named && !/\d/.test(args) && !findDate(args, todayIn(deps.clock.now(), deps.timeZone))) {
        const next: InstitutionProfile = { ...profile, programme: named.id };
        save(key, next);
        return upcoming(next);
      }
      if (a) return setDate(key, args) ?? [{ text: notUnderstood() }];
      return upcoming(profile);
    },
    /** a plain statement of a date (我们2023年3月15日备案的); undefined when the message is not one */
    statement(key: Key, text: string): Reply[] | undefined {
      if (QUESTION_RE.test(text)) return undefined;
      // A bare date answers the question /remind asked (which date), when it is still open.
      const profile = deps.profiles.get(key);
      const current = deps.catalog.byId(profile.programme ?? '');
      const awaitingDate = current !== undefined && !startOf(current, profile);
      const bareDate = text.replace(DATE_RE, '').replace(/[\s。.!！的]/g, '') === '';
      const dateWords = deps.catalog.programmes.flatMap((p) => p.dates.flatMap((d) => d.words));
      if (!dateWords.some((w) => text.includes(w)) && !(awaitingDate && bareDate)) return undefined;
      return setDate(key, text);
    },
  };
}
