import type { Reply } from '../../core/ports.js';

export type NoticeField = keyof NonNullable<Reply['notice']>;

/**
 * A subscription-notification field's value as WeChat accepts it: the key's type prefix sets
 * the format (thing ≤ 20 characters, time/date a Chinese date, phrase ≤ 5, character_string ≤ 32).
 */
export function noticeValue(key: string, value: string): string {
  const type = key.replace(/\d+$/, '');
  if (type === 'time' || type === 'date') {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
    return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : value;
  }
  const max = type === 'phrase' ? 5 : type === 'character_string' ? 32 : 20;
  const chars = [...value.replace(/\s+/g, ' ').trim()];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

export function noticeData(notice: NonNullable<Reply['notice']>, fields: Record<string, NoticeField>): Record<string, { value: string }> {
  return Object.fromEntries(Object.entries(fields).map(([key, field]) => [key, { value: noticeValue(key, notice[field]) }]));
}
