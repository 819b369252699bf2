import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import type { Lexicon } from './lexicon.js';
import { PUNCT_RE, STOPWORDS } from './stopwords.js';
import { normalizeForSearch } from './text-normalize.js';

export interface Tokenizer {
  /** jieba words in search mode, normalised, without stop words and punctuation */
  words(text: string): string[];
  /** jieba words with part-of-speech tags (normalised, no stop words or punctuation) */
  tagged(text: string): Array<{ word: string; tag: string }>;
  /** character bigrams of the CJK runs (and whole Latin/digit tokens) */
  bigrams(text: string): string[];
  /** question → normalised text with synonym and English expansions appended (computed once if given) */
  expandQuery(question: string, known?: QueryExpansions): string;
  /** the corpus terms that synonyms and the English glossary add for this question */
  expansions(question: string): QueryExpansions;
}

export interface QueryExpansions {
  synonyms: string[];
  english: string[];
  /** the Chinese terms of each English word or phrase matched (any one of a group says it) */
  englishGroups: string[][];
  /** English words the glossary does not know */
  unmatchedEnglish: string[];
}

/**
 * Builds the tokenizer: jieba's bundled dictionary plus the corpus's domain words
 * (loadDict merges them; lines need a frequency or jieba ignores them).
 */
export function createTokenizer(lexicon: Lexicon): Tokenizer {
  const jieba = Jieba.withDict(dict);
  if (lexicon.domainWords.trim()) jieba.loadDict(Buffer.from(lexicon.domainWords, 'utf8'));
  const synonymKeys = [...lexicon.synonyms.keys()].sort((a, b) => b.length - a.length);
  const englishKeys = [...lexicon.english.keys()].sort((a, b) => b.length - a.length);

  const words = (text: string): string[] =>
    jieba
      .cutForSearch(normalizeForSearch(text), true)
      .map((w) => w.trim())
      .filter((w) => w.length > 0 && !PUNCT_RE.test(w) && !STOPWORDS.has(w));

  const tagged = (text: string): Array<{ word: string; tag: string }> =>
    jieba
      .tag(normalizeForSearch(text), true)
      .map((t) => ({ word: t.word.trim(), tag: t.tag }))
      .filter((t) => t.word.length > 0 && !PUNCT_RE.test(t.word) && !STOPWORDS.has(t.word));

  const bigrams = (text: string): string[] => {
    const out: string[] = [];
    for (const run of normalizeForSearch(text).match(/[\u4e00-\u9fff]+|[a-z0-9_%.]+/g) ?? []) {
      if (!/[\u4e00-\u9fff]/.test(run)) {
        out.push(run);
        continue;
      }
      const chars = [...run];
      if (chars.length === 1) out.push(run);
      for (let i = 0; i + 1 < chars.length; i++) out.push(`${chars[i]}${chars[i + 1]}`);
    }
    return out;
  };

  const expansions = (question: string): QueryExpansions => {
    const q = normalizeForSearch(question);
    const synonyms: string[] = [];
    for (const key of synonymKeys) if (q.includes(key)) synonyms.push(...(lexicon.synonyms.get(key) ?? []));
    const english: string[] = [];
    const englishGroups: string[][] = [];
    let rest = ` ${q.replace(/[^a-z0-9%\- ]+/g, ' ').replace(/\s+/g, ' ').split(' ').map((w) => singular(w, lexicon.english)).join(' ')} `;
    for (const key of englishKeys) {
      // Function words (still, as, if) say nothing about the subject, whatever a dictionary renders them as.
      if (STOPWORDS.has(key)) continue;
      const needle = ` ${key} `;
      if (rest.includes(needle)) {
        // A rendering is a word as staff say it (SMEs → 中小企业): the synonyms give the documents' word (中小微企业).
        const rendered = (lexicon.english.get(key) ?? []).map((t) => normalizeForSearch(t));
        const said = rendered.flatMap((t) => synonymKeys.filter((k) => t.includes(k)).flatMap((k) => lexicon.synonyms.get(k) ?? []));
        const terms = [...new Set([...rendered, ...said])];
        english.push(...terms);
        englishGroups.push(terms);
        rest = rest.split(needle).join('   ');
      }
    }
    // English words the glossary does not know still name the topic (PCT, weather): keep them.
    const unmatchedEnglish = rest.split(/\s+/).filter((w) => w.length >= 3 && !STOPWORDS.has(w) && !/^\d+$/.test(w));
    return { synonyms, english, englishGroups, unmatchedEnglish };
  };

  const expandQuery = (question: string, known?: QueryExpansions): string => {
    const { synonyms, english } = known ?? expansions(question);
    const extra = [...synonyms, ...english];
    const q = normalizeForSearch(question);
    return extra.length > 0 ? `${q} ${extra.join(' ')}` : q;
  };

  return { words, tagged, bigrams, expandQuery, expansions };
}

/**
 * The glossary form of an English word: recommends → recommend, centres → centre, filed → file.
 * A word the glossary knows as it is stays unchanged.
 */
function singular(word: string, glossary: Map<string, string[]>): string {
  if (word.length < 4 || glossary.has(word)) return word;
  for (const [suffix, replacement] of [
    ['ies', 'y'],
    ['es', ''],
    ['s', ''],
    ['ed', ''],
    ['ed', 'e'],
    ['ing', ''],
    ['ing', 'e'],
  ] as const) {
    if (word.endsWith(suffix)) {
      const stem = word.slice(0, -suffix.length) + replacement;
      if (glossary.has(stem)) return stem;
    }
  }
  return word;
}
