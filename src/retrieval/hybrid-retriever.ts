import type { Chunk } from '../corpus/types.js';
import { isMostlyEnglish, normalizeForSearch } from './text-normalize.js';
import { classifyQuestion, statesFactKind, type QuestionKind } from './question-kind.js';
import type { SearchIndex } from './search-index.js';
import type { QueryExpansions } from './tokenizer.js';

export interface RankedChunk {
  chunk: Chunk;
  index: number;
  score: number;
}

export interface Retrieval {
  question: string;
  expanded: string;
  /** synonym and glossary terms for the question (computed once, reused by refusal) */
  expansions: QueryExpansions;
  kind: QuestionKind;
  /** the question mentions the form itself (表, 填, 部分, 字数 …) */
  asksAboutForm: boolean;
  /** the question's own content words (synonym keys replaced by corpus terms) */
  contentTerms: string[];
  ranked: RankedChunk[];
}

/** Weights of the fused signals; chosen on the dev set, see docs/retrieval.md. */
export const FUSION_WEIGHTS = { words: 0.4, bigrams: 0.3, dense: 0.3, factBonus: 0.15, annexPenalty: 0.7 } as const;

/**
 * The annex (form skeleton and 填表说明) answers questions about the form itself; a question
 * that never mentions the form is better answered by the articles, so annex passages weigh less.
 */
const FORM_QUESTION_RE = /(表|填|栏|部分|字数|多少字|写多|封面|签字|签名|盖章|字体|字号|行距|案例|form|font|seal|sign)/i;

/**
 * Hybrid retrieval: BM25 over jieba words, BM25 over character bigrams and the vector
 * index (hnswlib via LangChain) are each normalised to [0, 1] and fused linearly; a chunk
 * that states the kind of fact asked for (a number, a date, who, where) gets a bonus, so the
 * article that actually answers ranks above one that merely mentions the topic.
 */
export async function retrieve(index: SearchIndex, question: string, k = 8): Promise<Retrieval> {
  const expansions = index.tokenizer.expansions(question);
  const expanded = index.tokenizer.expandQuery(question, expansions);
  const kind = classifyQuestion(question);
  const asksAboutForm = FORM_QUESTION_RE.test(normalizeForSearch(question));
  const words = normalise(index.wordIndex.score(index.tokenizer.words(expanded)));
  const bigrams = normalise(index.bigramIndex.score(index.tokenizer.bigrams(expanded)));
  const dense = new Float64Array(index.chunks.length);
  const vector = await index.embedder.embedQuery(expanded);
  const hits = await index.vectorStore.similaritySearchVectorWithScore(vector, Math.min(40, index.chunks.length));
  for (const [doc, distance] of hits) {
    const i = Number(doc.metadata['chunkIndex']);
    if (Number.isInteger(i)) dense[i] = Math.max(0, 1 - distance);
  }
  const ranked: RankedChunk[] = index.chunks.map((chunk, i) => {
    let score = FUSION_WEIGHTS.words * (words[i] ?? 0) + FUSION_WEIGHTS.bigrams * (bigrams[i] ?? 0) + FUSION_WEIGHTS.dense * (dense[i] ?? 0);
    if (statesFactKind(chunk.text, kind)) score += FUSION_WEIGHTS.factBonus;
    if ((chunk.kind === 'form' || chunk.kind === 'instructions') && !asksAboutForm) score *= FUSION_WEIGHTS.annexPenalty;
    return { chunk, index: i, score };
  });
  ranked.sort((a, b) => b.score - a.score);
  return { question, expanded, expansions, kind, asksAboutForm, contentTerms: contentTerms(index, question, expansions), ranked: ranked.slice(0, k) };
}

function normalise(scores: Float64Array): Float64Array {
  let max = 0;
  for (const s of scores) max = Math.max(max, s);
  return max > 0 ? scores.map((s) => s / max) : scores;
}

/**
 * A clause where the asker describes themselves (我们是部委直属的行业研究院) names the asker, not
 * the topic: its words decide nothing about whether the corpus answers the question.
 */
const SELF_DESCRIPTION_RE = /(我们|我|本单位|我单位|咱们|俺们)(已经)?(是|属于|这边是|作为)[^，,。？?！!；;]*/g;

/** Parts of speech that name things: a question about a thing the corpus never names is out of scope. */
const NOUN_LIKE = /^(n|vn|eng|j|l|i|t)/;

/**
 * Content words of the question itself; colloquial keys are replaced by what the corpus says.
 * Nouns always count (an unknown noun such as 滞纳金 or PCT is the strongest sign the corpus
 * does not answer); verbs and adjectives count only when the corpus uses them, because
 * staff phrase the same question with many everyday verbs (写, 做, 找, 报…).
 */
function contentTerms(index: SearchIndex, question: string, glossary: QueryExpansions): string[] {
  const english = isMostlyEnglish(question);
  let text = english ? [...glossary.english, ...glossary.unmatchedEnglish].join(' ') : question.replace(SELF_DESCRIPTION_RE, ' ');
  for (const [key, values] of index.lexicon.synonyms) {
    if (text.toLowerCase().includes(key)) text = text.split(key).join(` ${values[0] ?? ''} `);
  }
  const terms = index.tokenizer
    .tagged(text)
    .filter(({ word, tag }) => {
      const known = index.wordIndex.documentFrequency(word) > 0;
      if (/^\d+$/.test(word)) return known;
      if (NOUN_LIKE.test(tag)) return known || [...word].length >= 2;
      return known && [...word].length >= 2;
    })
    .map(({ word }) => word);
  return [...new Set(terms)];
}
