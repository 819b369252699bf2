import { chineseToNumber } from '../core/chinese-numerals.js';
import type { Chunk } from '../corpus/types.js';
import { normalizeForSearch } from '../retrieval/text-normalize.js';

/** A clause the question names by its number: 第十八条, 第5条, （十四）, 第五部分 (of a form). */
export interface ArticleReference {
  kind: 'article' | 'section' | 'form-part';
  /** as the locators spell it: 第十八条, （十四）, 五、 */
  unit: string;
  /** the number in Chinese numerals: 十八, 十四, 五 */
  numeral: string;
}

const CN = '一二三四五六七八九十';

/** 18 → 十八: locators are written in Chinese numerals. */
function toChinese(n: number): string {
  if (n <= 0 || n >= 100) return String(n);
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  const tensPart = tens === 0 ? '' : tens === 1 ? '十' : `${CN[tens - 1]}十`;
  return `${tensPart}${ones ? CN[ones - 1] : ''}`;
}

function numeral(raw: string): string {
  return /^\d+$/.test(raw) ? toChinese(Number(raw)) : toChinese(chineseToNumber(raw));
}

/** The clause a question names by number, if any. */
export function articleReference(question: string): ArticleReference | undefined {
  const q = normalizeForSearch(question).replace(/\s+/g, '');
  const article = /第([一二三四五六七八九十百零〇两\d]{1,4})条/.exec(q);
  if (article?.[1]) {
    const n = numeral(article[1]);
    return { kind: 'article', unit: `第${n}条`, numeral: n };
  }
  const part = /第([一二三四五六七八九十\d]{1,3})部分/.exec(q);
  if (part?.[1]) {
    const n = numeral(part[1]);
    return { kind: 'form-part', unit: `${n}、`, numeral: n };
  }
  const section = /[（(]([一二三四五六七八九十]{1,4})[)）]/.exec(q);
  if (section?.[1]) return { kind: 'section', unit: `（${section[1]}）`, numeral: section[1] };
  return undefined;
}

/** Does this chunk sit at the referenced clause? */
export function chunkAtReference(chunk: Chunk, ref: ArticleReference): boolean {
  const label = chunk.locator.label;
  if (ref.kind === 'article') return chunk.locator.article === ref.unit;
  // A form part is the section itself and the 填表说明 items that say how to fill it (第六部分由…填写).
  if (ref.kind === 'form-part') return (chunk.kind === 'form' && label.includes(` ${ref.unit}`)) || (chunk.kind === 'instructions' && chunk.text.includes(`第${ref.numeral}部分`));
  return chunk.kind !== 'form' && chunk.kind !== 'instructions' && label.includes(ref.unit);
}
