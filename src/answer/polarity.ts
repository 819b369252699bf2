import { normalizeForSearch } from '../retrieval/text-normalize.js';

/**
 * The yes or no a yes/no question gets, read from the modal verb of the clause that answers it:
 * a question about necessity (要不要, 需要…吗, must we) is answered by 应当/须/要 (yes) or
 * 不需要/无需 (no); a question about permission (能不能, 可以…吗, can we) by 可以/鼓励 (yes) or
 * 不得/不能 (no). The modal must govern what was asked: one of the question's own words follows it
 * closely (…不需要进行…网点备案). Otherwise there is no yes or no to give — stating one the clause
 * does not literally say would be inventing a rule — and the clause leads on its own.
 */
export type Polarity = 'need' | 'no_need' | 'may' | 'may_not';

const ASKS_NEED = /(要不要|需不需要|用不用|得不得|必须|需要|是否要|(?<![主重需想只纲])要(?![求点素])|\b(must|need|needs|required|have to|has to|should)\b)/i;
const ASKS_MAY = /(能不能|可不可以|可以|能否|可否|能|行不行|允许|\b(can|could|may|allowed)\b)/i;

const STATES: Array<{ polarity: Polarity; asked: 'need' | 'may'; re: RegExp }> = [
  { polarity: 'no_need', asked: 'need', re: /(不需要|无需|不必|不需|免于|不用)/g },
  { polarity: 'may_not', asked: 'may', re: /(不得|不能|不可|不予|禁止|不允许)/g },
  { polarity: 'need', asked: 'need', re: /(应当|应该|必须|须(?!知)|需要|需(?!求)|(?<![相响对适反供回效])应(?![用对急])|(?<![主重需想只纲不])要(?![求点素]))/g },
  { polarity: 'may', asked: 'may', re: /(可以|允许|鼓励)/g },
];

/** How close after the modal (within its clause) one of the question's words must come to be what the modal governs. */
const GOVERNS_WITHIN = 16;

export function polarity(question: string, sentence: string, questionWords: string[]): Polarity | undefined {
  const q = normalizeForSearch(question);
  const asked = { need: ASKS_NEED.test(q), may: ASKS_MAY.test(q) };
  const s = normalizeForSearch(sentence);
  const words = questionWords.filter((w) => [...w].length >= 2);
  for (const state of STATES) {
    if (!asked[state.asked]) continue;
    for (const m of s.matchAll(state.re)) {
      // What the modal governs ends at the clause's end (不需要公示。材料… does not govern 材料).
      const after = s.slice((m.index ?? 0) + m[0].length, (m.index ?? 0) + m[0].length + GOVERNS_WITHIN).split(/[。；;，,！!？?]/)[0] ?? '';
      if (words.some((w) => after.includes(w))) return state.polarity;
    }
  }
  return undefined;
}
