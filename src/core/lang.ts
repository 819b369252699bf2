/** The languages the bot talks in. Chinese is the record (forms, drafts, quotes); English is a rendering. */
export type Lang = 'zh' | 'en';

export type LanguageSetting = Lang | 'auto';

/** Words every English sentence is held together by; names and values typed in Latin letters rarely hold one. */
const FUNCTION_WORDS = new Set('a an the is are was were be do does did have has had can could should would will may must we our us i my you your it its this that these those they their there what how who which when where why if to of for in on at with and or not no yes'.split(' '));

/**
 * Written in English: two or more Latin words apart, one of them a function word, no Chinese
 * characters. A Chinese user's "ok", a pinyin name, "not-an-email" or a URL typed as a value is not.
 */
export function isEnglishSentence(text: string): boolean {
  if (/\p{Script=Han}/u.test(text)) return false;
  const words = text
    .replace(/\S+@\S+|https?:\/\/\S+|www\.\S+/gi, ' ')
    .split(/\s+/)
    .map((w) => w.replace(/^[("'“‘]+|[)"'”’,.;:!?]+$/g, ''))
    .filter((w) => /^[A-Za-z][A-Za-z']*$/.test(w));
  return words.length >= 2 && words.some((w) => FUNCTION_WORDS.has(w.toLowerCase()));
}

/** The language to reply in: the user's setting, else English for a message written in English, else `current`. */
export function replyLanguage(setting: LanguageSetting, text: string | undefined, current: Lang = 'zh'): Lang {
  if (setting !== 'auto') return setting;
  return text !== undefined && isEnglishSentence(text) ? 'en' : current;
}

/**
 * An item of programme data in a language: its reviewed English renderings (`en`) over the
 * Chinese, item by item; whatever has no rendering stays Chinese.
 */
export function localised<T extends { en?: object | undefined }>(item: T, lang: Lang): T {
  return lang === 'en' && item.en ? { ...item, ...item.en } : item;
}
