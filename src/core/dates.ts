/** Calendar dates in the institution's time zone (Asia/Shanghai by default). */

/**
 * Intl formatters by time zone, made once: constructing one costs far more than using it, and
 * the reminder scheduler asks for local dates thousands of times a day.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(kind: 'date' | 'offset', timeZone: string): Intl.DateTimeFormat {
  const key = `${kind}|${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    f = kind === 'date' ? new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }) : new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    formatters.set(key, f);
  }
  return f;
}

/** The local calendar date of an instant: { year, month (1-12), day }. */
export function localDate(d: Date, timeZone: string): { year: number; month: number; day: number } {
  const parts = formatter('date', timeZone).formatToParts(d);
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value);
  return { year: get('year'), month: get('month'), day: get('day') };
}

/** 2026年11月21日 */
export function formatChineseDate(d: Date, timeZone: string): string {
  const { year, month, day } = localDate(d, timeZone);
  return `${year}年${month}月${day}日`;
}

/** A calendar date as YYYY-MM-DD. */
export type IsoDate = string;

const pad = (n: number): string => String(n).padStart(2, '0');

export function isoDate(year: number, month: number, day: number): IsoDate {
  return `${year}-${pad(month)}-${pad(day)}`;
}

export function parseIsoDate(d: IsoDate): { year: number; month: number; day: number } {
  const [y, m, dd] = d.split('-').map(Number);
  return { year: y ?? 0, month: m ?? 1, day: dd ?? 1 };
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Adds months, clamping to the month's last day (2024-08-31 + 6 months = 2025-02-28). */
export function addMonths(d: IsoDate, months: number): IsoDate {
  const { year, month, day } = parseIsoDate(d);
  const total = year * 12 + (month - 1) + months;
  const y = Math.floor(total / 12);
  const m = (total % 12) + 1;
  return isoDate(y, m, Math.min(day, daysInMonth(y, m)));
}

export function addYears(d: IsoDate, years: number): IsoDate {
  return addMonths(d, years * 12);
}

export function addDays(d: IsoDate, days: number): IsoDate {
  const { year, month, day } = parseIsoDate(d);
  const t = new Date(Date.UTC(year, month - 1, day + days));
  return isoDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** Whole days from a to b (b − a). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  const pa = parseIsoDate(a);
  const pb = parseIsoDate(b);
  return Math.round((Date.UTC(pb.year, pb.month - 1, pb.day) - Date.UTC(pa.year, pa.month - 1, pa.day)) / 86_400_000);
}

export function todayIn(now: Date, timeZone: string): IsoDate {
  const { year, month, day } = localDate(now, timeZone);
  return isoDate(year, month, day);
}

/** The instant when it is `hour`:00 on the local date `d` in the time zone. */
export function atLocalHour(d: IsoDate, hour: number, timeZone: string): Date {
  const { year, month, day } = parseIsoDate(d);
  const guess = Date.UTC(year, month - 1, day, hour);
  const offsetMinutes = (at: number): number => {
    const name = formatter('offset', timeZone).formatToParts(new Date(at)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
    return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) : 0;
  };
  const first = guess - offsetMinutes(guess) * 60_000;
  return new Date(guess - offsetMinutes(first) * 60_000);
}

/** 2027年3月15日 from 2027-03-15 */
export function formatIsoChinese(d: IsoDate): string {
  const { year, month, day } = parseIsoDate(d);
  return `${year}年${month}月${day}日`;
}

export const ENGLISH_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** 2026-03-15 → 15 March 2026 */
export function formatIsoEnglish(d: IsoDate): string {
  const { year, month, day } = parseIsoDate(d);
  return `${day} ${ENGLISH_MONTHS[month - 1] ?? month} ${year}`;
}

/** A date as a reply in that language writes it. */
export function formatIsoIn(d: IsoDate, lang: 'zh' | 'en'): string {
  return lang === 'en' ? formatIsoEnglish(d) : formatIsoChinese(d);
}
