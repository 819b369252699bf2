/** Calendar dates in the institution's time zone (Asia/Shanghai by default). */

/** The local calendar date of an instant: { year, month (1-12), day }. */
export function localDate(d: Date, timeZone: string): { year: number; month: number; day: number } {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(d);
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value);
  return { year: get('year'), month: get('month'), day: get('day') };
}

/** 2026年11月21日 */
export function formatChineseDate(d: Date, timeZone: string): string {
  const { year, month, day } = localDate(d, timeZone);
  return `${year}年${month}月${day}日`;
}
