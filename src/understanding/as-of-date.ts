import { daysInMonth, ENGLISH_MONTHS, isoDate } from '../core/dates.js';

/**
 * The date a question asks about, when it asks about the past or the future explicitly
 * (截至2022年底, 2021年6月的时候, as of 2022): retrieval then cites the documents in force on that
 * date. A bare year is not a date asked about (2025年目标是多少 asks about a target, not as of 2025).
 * Returns YYYY-MM-DD: a year alone means its last day (截至2022年 = by the end of 2022), 年初 its first.
 */
const ZH_MARKED = /(?:截至|截止到?|截止至)\s*(\d{4})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?)?\s*(底|末|初)?/;
const ZH_THEN = /(\d{4})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?)?\s*(底|末|初)?\s*(?:的时候|那时候?|那会儿?|当时|时候)/;
const EN_MARKED = new RegExp(`\\b(?:as of|as at|in force (?:in|on)|back in)\\s+(?:(${ENGLISH_MONTHS.join('|')})\\s+)?(?:(\\d{1,2}),?\\s+)?(\\d{4})\\b`, 'i');
const MONTHS = ENGLISH_MONTHS.map((m) => m.toLowerCase());

export function askedAsOf(question: string): string | undefined {
  const zh = ZH_MARKED.exec(question) ?? ZH_THEN.exec(question);
  if (zh) return dateOf(Number(zh[1]), zh[2] === undefined ? undefined : Number(zh[2]), zh[3] === undefined ? undefined : Number(zh[3]), zh[4] === '初');
  const en = EN_MARKED.exec(question);
  if (en) return dateOf(Number(en[3]), en[1] === undefined ? undefined : MONTHS.indexOf(en[1].toLowerCase()) + 1, en[2] === undefined ? undefined : Number(en[2]), false);
  return undefined;
}

function dateOf(year: number, month: number | undefined, day: number | undefined, start: boolean): string | undefined {
  if (year < 1980 || year > 2100 || (month !== undefined && (month < 1 || month > 12))) return undefined;
  const m = month ?? (start ? 1 : 12);
  const last = daysInMonth(year, m);
  const d = day ?? (start ? 1 : last);
  if (d < 1 || d > last) return undefined;
  return isoDate(year, m, d);
}
