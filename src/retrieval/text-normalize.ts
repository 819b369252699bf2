import * as OpenCC from 'opencc-js';

const toSimplified = OpenCC.Converter({ from: 'hk', to: 'cn' });

/**
 * Search-side normalisation (never applied to quoted text):
 * traditional → simplified, full-width ASCII → half-width, ideographic space → space, lower case.
 */
export function normalizeForSearch(text: string): string {
  const halfWidth = text.replace(/[\uff01-\uff5e]/g, (ch) => {
    // Keep the full-width brackets and punctuation the corpus itself uses in locators.
    if ('（）：；，！？'.includes(ch)) return ch;
    return String.fromCharCode(ch.charCodeAt(0) - 0xfee0);
  });
  // 专（兼）职 → 专兼职, 区（县）级 → 区县级: a one-character aside inside a word.
  const unbracketed = halfWidth.replace(/([\u4e00-\u9fff])（([\u4e00-\u9fff])）([\u4e00-\u9fff])/g, '$1$2$3');
  return toSimplified(unbracketed.replace(/\u3000/g, ' ')).toLowerCase();
}

/**
 * How people say it, as the documents say it: 县里/省里/市里 (in the county, the province) is the
 * place itself; the texts never add the locative 里 to an administrative level.
 */
export function normalizeSpoken(question: string): string {
  return question.replace(/([县省市区镇乡村])里/g, '$1');
}

/** True when the question is written mainly in Latin letters (answer it in English). */
export function isMostlyEnglish(text: string): boolean {
  const latin = (text.match(/[A-Za-z]/g) ?? []).length;
  const cjk = (text.match(/[\u4e00-\u9fff]/g) ?? []).length;
  return latin > 3 * cjk && latin >= 6;
}
