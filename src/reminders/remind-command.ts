import { fill } from '../answer/messages.js';
import { chineseToNumber } from '../core/chinese-numerals.js';
import { addDays, addYears, ENGLISH_MONTHS, formatIsoIn, isoDate, parseIsoDate, todayIn, type IsoDate } from '../core/dates.js';
import { localised, type Lang } from '../core/lang.js';
import type { Clock, Reply } from '../core/ports.js';
import type { InstitutionProfile, UserKey } from '../core/profile.js';
import type { ProfileStore } from '../flows/dialogue-service.js';
import type { DialogueTexts } from '../flows/dialogue-text.js';
import type { ProgrammeCatalog } from '../programmes/catalog.js';
import { startingDate } from '../programmes/schema.js';
import type { NudgeRepository } from '../storage/nudge-repository.js';
import { deadlinesFor, type DeadlineInstance } from './compute-deadlines.js';
import type { ReminderScheduler } from './reminder-scheduler.js';

export interface RemindDeps {
  catalog: ProgrammeCatalog;
  profiles: ProfileStore;
  nudges: NudgeRepository;
  scheduler: ReminderScheduler;
  clock: Clock;
  timeZone: string;
  leadDays: number[];
  /** what the dialogues say, by language */
  texts: DialogueTexts;
}

type Key = UserKey & { chatId: string };

const CN = '〇零一二两三四五六七八九十';
const YEAR = `(\\d{4}|[〇零一二三四五六七八九]{4}|\\d{2}(?=[.．/-])|今年|去年|前年)`;
const PART = `(\\d{1,2}|[${CN}]{1,3})`;
const DATE_RE = new RegExp(`${YEAR}\\s*(?:年|-|/|\\.|．)?\\s*${PART}\\s*(?:月|-|/|\\.|．)\\s*${PART}\\s*[日号]?`);
const QUESTION_RE = /[？?]|吗|什么|怎么|多久|几|啥|哪|^(what|how|when|which|who|why)\b/i;
const MONTH = `(${ENGLISH_MONTHS.map((m) => m.slice(0, 3)).join('|')})[a-z]*\\.?`;
/** 15 March 2024, March 15, 2024, 15th Mar 2024 */
const ENGLISH_DATE_RE = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH},?\\s+(\\d{4})\\b|\\b${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, 'i');

/** A date written with an English month name, validated. */
function findEnglishDate(text: string): IsoDate | undefined {
  const m = ENGLISH_DATE_RE.exec(text);
  if (!m) return undefined;
  const [day, month, year] = m[1] ? [m[1], m[2], m[3]] : [m[5], m[4], m[6]];
  const mo = ENGLISH_MONTHS.findIndex((x) => x.slice(0, 3).toLowerCase() === (month ?? '').slice(0, 3).toLowerCase()) + 1;
  return validDate(Number(year), mo, Number(day));
}

function validDate(y: number, mo: number, d: number): IsoDate | undefined {
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (!Number.isFinite(y) || y < 1990 || y > 2100 || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return isoDate(y, mo, d);
}

/**
 * A full calendar date in the text, as staff write it — 2024-03-15, 2024年3月15日, 2024/3/15,
 * 24.3.15, 二〇二四年三月十五日, 今年9月1日, 去年3月15日 (relative years from `today`), 15 March
 * 2024 — validated.
 */
export function findDate(text: string, today?: IsoDate): IsoDate | undefined {
  const m = DATE_RE.exec(text);
  if (!m?.[1] || !m[2] || !m[3]) return findEnglishDate(text);
  const thisYear = today ? parseIsoDate(today).year : undefined;
  const relative: Record<string, number> = { 今年: 0, 去年: 1, 前年: 2 };
  const digits = m[1].replace(/[〇零一二三四五六七八九]/g, (c) => String('〇一二三四五六七八九'.indexOf(c === '零' ? '〇' : c)));
  const y = m[1] in relative ? (thisYear === undefined ? NaN : thisYear - (relative[m[1]] ?? 0)) : digits.length === 2 ? 2000 + Number(digits) : Number(digits);
  return validDate(y, toNumber(m[2]), toNumber(m[3]));
}

const toNumber = (part: string): number => (/^\d+$/.test(part) ? Number(part) : chineseToNumber(part.replace(/〇/g, '零')));

type Programme = NonNullable<ReturnType<ProgrammeCatalog['byId']>>;
type ProgrammeDate = Programme['dates'][number];

/**
 * Which of the programme's dates a sentence sets: the one whose words it uses (整改 → the
 * rectification notice), else the date the deadlines start from (filing, registration).
 */
function dateField(text: string, programme: Programme): ProgrammeDate {
  return programme.dates.find((d) => !d.starts && namesDate(text, d)) ?? startingDate(programme);
}

/** The sentence uses one of the date's words, Chinese or English (整改, rectification). */
const namesDate = (text: string, d: ProgrammeDate): boolean => [...d.words, ...(d.en?.words ?? [])].some((w) => text.toLowerCase().includes(w.toLowerCase()));

/** The programme a date sentence is about: named, the profile's, the one whose date words it uses, else the first. */
function programmeFor(catalog: ProgrammeCatalog, text: string, profile: InstitutionProfile): Programme | undefined {
  return catalog.mentioned(text)[0] ?? catalog.byId(profile.programme ?? '') ?? catalog.programmes.find((p) => namesDate(text, startingDate(p))) ?? catalog.programmes[0];
}

const startOf = (programme: Programme, profile: InstitutionProfile): IsoDate | undefined => profile.dates[startingDate(programme).id];

/**
 * /remind (提醒, 订阅, 退订): shows upcoming deadlines computed from the programme data, sets the
 * institution's dates, lists scheduled nudges, turns nudges off and on. Also recognises plain
 * statements such as “我们2023年3月15日备案的”.
 */
export function createRemindHandlers(deps: RemindDeps) {
  const save = async (key: Key, profile: InstitutionProfile): Promise<void> => {
    await deps.profiles.save(key, profile, deps.clock.now());
    await deps.scheduler.replan(key, profile);
  };
  const today = (): IsoDate => todayIn(deps.clock.now(), deps.timeZone);

  const upcoming = (profile: InstitutionProfile, lang: Lang): Reply[] => {
    const t = deps.texts[lang];
    const date = (d: IsoDate): string => formatIsoIn(d, lang);
    const programme = deps.catalog.byId(profile.programme ?? '');
    // Which programme, as numbered choices (“1” works on every channel); then the date.
    if (!programme) {
      return [{ text: t.remind_which, choices: deps.catalog.programmes.map((p) => ({ value: `/remind ${p.short_name}`, label: localised(p, lang).short_name })) }];
    }
    const start = startOf(programme, profile);
    const starting = localised(startingDate(programme), lang);
    if (!start) return [{ text: fill(t.remind_ask_date, { label: starting.label, word: starting.words[0] ?? '' }) }];
    const now = today();
    const list = deadlinesFor(programme, profile, deps.catalog.data.targets, now, addYears(now, 4)).slice(0, 8);
    const lines = [fill(t.remind_header, { name: localised(programme, lang).short_name, label: starting.label, date: date(start) })];
    for (const d of programme.dates.filter((x) => !x.starts && profile.dates[x.id])) lines.push(fill(t.remind_date_line, { label: localised(d, lang).label, date: date(profile.dates[d.id] ?? '') }));
    lines.push(...passed(programme, profile, start, now, lang));
    lines.push(t.remind_upcoming);
    if (list.length === 0) lines.push(t.remind_none_ahead);
    for (const d of list) lines.push(fill(t.remind_item, { date: date(d.due), label: labelOf(d, lang), article: deps.catalog.cite(d.source).article }));
    lines.push(profile.remindersOff ? t.remind_off_state : fill(t.remind_on_state, { days: deps.leadDays.join(t.days_joiner) }));
    return [{ text: lines.join('\n') }];
  };

  /** What will be sent, and when: planned rows plus the plan for the coming year, minus what was sent. */
  const scheduled = async (key: Key, profile: InstitutionProfile, lang: Lang): Promise<Reply[]> => {
    const t = deps.texts[lang];
    if (profile.remindersOff) return [{ text: t.remind_off_list }];
    const programme = deps.catalog.byId(profile.programme ?? '');
    if (!programme || !startOf(programme, profile)) return upcoming(profile, lang);
    const now = today();
    const sent = new Set((await deps.nudges.sentFor(key.channel, key.userId)).map((r) => `${r.deadlineKey}|${r.leadDays}`));
    const items = deadlinesFor(programme, profile, deps.catalog.data.targets, now, addYears(now, 1))
      .flatMap((d) => deps.leadDays.map((lead) => ({ d, lead, on: addDays(d.due, -lead) })))
      .filter(({ d, lead, on }) => on >= now && !sent.has(`${d.key}|${lead}`))
      .sort((x, y) => (x.on < y.on ? -1 : x.on > y.on ? 1 : 0))
      .slice(0, 12);
    if (items.length === 0) return [{ text: t.remind_nothing_year }];
    const line = ({ d, lead, on }: (typeof items)[number]): string => fill(t.remind_list_item, { on: formatIsoIn(on, lang), label: labelOf(d, lang), due: formatIsoIn(d.due, lang), lead });
    return [{ text: [t.remind_list_title, ...items.map(line)].join('\n') }];
  };

  /**
   * Periods that already ended, said plainly rather than dropped: a validity term (and when the
   * next ends if it was renewed), a rectification period.
   */
  const passed = (programme: Programme, profile: InstitutionProfile, start: IsoDate, now: IsoDate, lang: Lang): string[] => {
    const t = deps.texts[lang];
    const past = deadlinesFor(programme, profile, deps.catalog.data.targets, start, addDays(now, -1));
    const lines: string[] = [];
    const kindOf = (d: DeadlineInstance) => programme.deadlines.find((r) => r.id === d.ruleId)?.kind;
    const terms = past.filter((d) => kindOf(d) === 'validity');
    const lastTerm = terms[terms.length - 1];
    if (lastTerm) {
      const next = deadlinesFor(programme, profile, deps.catalog.data.targets, now, addYears(now, 10)).find((d) => d.ruleId === lastTerm.ruleId);
      const which = terms.length === 1 ? t.remind_term_first : fill(t.remind_term_nth, { n: terms.length });
      const after = next ? fill(t.remind_term_next, { date: formatIsoIn(next.due, lang) }) : '';
      lines.push(fill(t.remind_term_passed, { which, date: formatIsoIn(lastTerm.due, lang), article: deps.catalog.cite(lastTerm.source).article, next: after }));
    }
    for (const d of past.filter((x) => kindOf(x) === 'rectification')) {
      lines.push(fill(t.remind_rectification_passed, { date: formatIsoIn(d.due, lang), article: deps.catalog.cite(d.source).article, label: labelOf(d, lang) }));
    }
    return lines;
  };

  /** How to send each kind of date, from the programme data (备案日期 or 登记日期; 整改 2025-01-10). */
  const notUnderstood = (lang: Lang): string => {
    const t = deps.texts[lang];
    const starting = [...new Set(deps.catalog.programmes.map((p) => localised(startingDate(p), lang).label))].join(t.remind_or);
    const others = deps.catalog.programmes
      .flatMap((p) => p.dates.filter((d) => !d.starts))
      .map((d) => localised(d, lang))
      .map((d) => fill(t.remind_other_date, { label: d.label, word: d.words[0] ?? '' }));
    return [fill(t.remind_not_understood, { starting }), ...new Set(others)].join(t.list_separator) + t.remind_end;
  };

  const setDate = async (key: Key, text: string, lang: Lang): Promise<Reply[] | undefined> => {
    const t = deps.texts[lang];
    const date = findDate(text, today());
    if (!date) return undefined;
    const profile = await deps.profiles.get(key);
    const programme = programmeFor(deps.catalog, text, profile);
    if (!programme) return undefined;
    const field = dateField(text, programme);
    const label = localised(field, lang).label;
    // The starting date has happened; a notice date may be given ahead (a deadline already set).
    if (date > today() && field.starts) return [{ text: fill(t.remind_future, { date: formatIsoIn(date, lang), label }) }];
    const next: InstitutionProfile = { ...profile, programme: programme.id, dates: { ...profile.dates, [field.id]: date }, remindersOff: false };
    await save(key, next);
    return [{ text: fill(t.remind_recorded, { label, date: formatIsoIn(date, lang) }) }, ...upcoming(next, lang)];
  };

  return {
    /** the /remind command and its words */
    async command(key: Key, args: string, lang: Lang = 'zh'): Promise<Reply[]> {
      const t = deps.texts[lang];
      const a = args.trim().toLowerCase();
      const profile = await deps.profiles.get(key);
      if (/^(off|退订|关闭|停止|stop)$/.test(a)) {
        await save(key, { ...profile, remindersOff: true });
        await deps.nudges.cancelPending(key.channel, key.userId);
        return [{ text: t.remind_stopped }];
      }
      if (/^(on|开启|订阅|start)$/.test(a)) {
        await save(key, { ...profile, remindersOff: false });
        return [{ text: t.remind_started }, ...upcoming({ ...profile, remindersOff: false }, lang)];
      }
      if (/^(list|列表|清单)$/.test(a)) return scheduled(key, profile, lang);
      // “/remind 网点”: the programme alone; the date is asked next.
      const named = deps.catalog.mentioned(args)[0];
      if (named && !/\d/.test(args) && !findDate(args, today())) {
        const next: InstitutionProfile = { ...profile, programme: named.id };
        await save(key, next);
        return upcoming(next, lang);
      }
      if (a) return (await setDate(key, args, lang)) ?? [{ text: notUnderstood(lang) }];
      return upcoming(profile, lang);
    },
    /** a plain statement of a date (我们2023年3月15日备案的); undefined when the message is not one */
    async statement(key: Key, text: string, lang: Lang = 'zh'): Promise<Reply[] | undefined> {
      if (QUESTION_RE.test(text)) return undefined;
      // A bare date answers the question /remind asked (which date), when it is still open.
      const profile = await deps.profiles.get(key);
      const current = deps.catalog.byId(profile.programme ?? '');
      const awaitingDate = current !== undefined && !startOf(current, profile);
      const bareDate = text.replace(DATE_RE, '').replace(ENGLISH_DATE_RE, '').replace(/[\s。.!！的]/g, '') === '';
      if (!deps.catalog.programmes.some((p) => p.dates.some((d) => namesDate(text, d))) && !(awaitingDate && bareDate)) return undefined;
      return setDate(key, text, lang);
    },
  };
}

/** A deadline's label in the reply's language (its reviewed English rendering, when it has one). */
function labelOf(d: DeadlineInstance, lang: Lang): string {
  return lang === 'en' ? (d.en?.label ?? d.label) : d.label;
}
