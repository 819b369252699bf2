import type { Chunk } from '../corpus/types.js';
import { isMostlyEnglish, normalizeForSearch, normalizeSpoken } from './text-normalize.js';
import { withoutSelfDescription } from './self-description.js';
import { classifyQuestion, DOCUMENTS_SAY_FRAME_RE, PURPOSE_FRAME_RE, SERVED_FRAME_RE, statesFactKind, type QuestionKind } from './question-kind.js';
import type { SearchIndex } from './search-index.js';
import type { QueryExpansions } from './tokenizer.js';

export interface RankedChunk {
  chunk: Chunk;
  index: number;
  score: number;
}

export interface Retrieval {
  question: string;
  /** what refusal judges: the question (or the user's own words) without the document names it uses */
  judged: string;
  expanded: string;
  /** synonym and glossary terms of `judged` (for refusal) */
  expansions: QueryExpansions;
  kind: QuestionKind;
  /** the question mentions the form itself (表, 填, 部分, 字数 …) */
  asksAboutForm: boolean;
  /** the question's own content words (synonym keys replaced by corpus terms) */
  contentTerms: string[];
  /** a follow-up whose own words name nothing (how much is it?, 交给谁): what it is about is the thread's */
  elliptical: boolean;
  ranked: RankedChunk[];
}

/**
 * Weights of the fused signals; chosen on the dev set, see docs/retrieval.md.
 * - words / bigrams / dense: the three normalised similarity signals (sum 1).
 * - factBonus: a chunk that states the kind of fact asked for (0.1–0.2 all gave the same dev hit@3).
 * - annexPenalty: multiplier for 填表说明 chunks when the question is not about the form; formPenalty
 *   for the form skeleton itself (field names only: 专职人员数量 answers no question about numbers).
 * - namedDocument: added × the weight of a document the question (or the conversation) names; half
 *   a full-signal match, so a named document wins close calls but a clearly better clause elsewhere still leads.
 * - namedClause: added to the clause the question names by number (第十八条), which then leads.
 * - analogue: added × the (normalised) word similarity to the previous answer's clause, for the
 *   clauses of the document a follow-up switched to (那地市级的呢 wants the counterpart clause);
 *   as strong as the words signal, because the follow-up's own words say almost nothing.
 * - leadNoun: added when the question names what a clause's lead-in announces (…应当具备下列条件：
 *   is about 条件, …备案材料包括： about 材料): the lead-in says what the clause lists.
 */
export const FUSION_WEIGHTS = { words: 0.4, bigrams: 0.3, dense: 0.3, factBonus: 0.15, annexPenalty: 0.7, formPenalty: 0.5, namedDocument: 0.25, namedClause: 1, analogue: 0.4, leadNoun: 0.15, purposeClause: 0.45 } as const;

/** What the understanding layer knows beyond the words: the documents named, the clause named. */
export interface RetrievalHints {
  /** document id → how surely the question (or the conversation) points at it, 0..1 */
  documents?: ReadonlyMap<string, number>;
  /** a clause named by number, matched by `atReference` */
  atReference?: (chunk: Chunk) => boolean;
  /** the question is about the form (a form part was named) even without form words */
  aboutForm?: boolean;
  /**
   * The user's own words when the search text also carries the previous turn (a follow-up): refusal
   * checks that these are covered; when they hold no content word (交给谁) the whole search text counts.
   */
  ownWords?: string;
  /** a follow-up for another document: the clause of `doc` most like `text` (the previous answer) is wanted */
  analogue?: { doc: string; text: string };
  /** document names the question uses: left out of the words refusal judges (a name is not a subject) */
  names?: string[];
  /**
   * Documents that are editions of one instrument by several offices (family) and how each fits the
   * asker (fit, 0..1): the same clause found in several is one result, cited from the best fit.
   */
  counterparts?: { family: ReadonlyMap<string, string>; fit: ReadonlyMap<string, number>; preferred: ReadonlySet<string> };
  /** documents not in force on the date asked about: not cited unless named */
  excluded?: ReadonlySet<string>;
}

/**
 * The same clause in counterpart documents (one instrument issued by several offices) is one
 * result: it scores as its best copy and is cited from the copy that fits the asker best (their
 * region's, else the national one, else a province's before a city's, then the best scoring), so
 * near-duplicates neither crowd out other clauses nor answer for the wrong province.
 */
function oneOfCounterparts(ranked: RankedChunk[], counterparts: NonNullable<RetrievalHints['counterparts']>): RankedChunk[] {
  const groups = new Map<string, RankedChunk[]>();
  const out: RankedChunk[] = [];
  for (const r of ranked) {
    const family = counterparts.family.get(r.chunk.locator.doc);
    if (family === undefined) {
      out.push(r);
      continue;
    }
    const key = `${family}\u0000${r.chunk.locator.label}`;
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  const fit = (r: RankedChunk): number => counterparts.fit.get(r.chunk.locator.doc) ?? 0;
  for (const group of groups.values()) {
    const best = Math.max(...group.map((r) => r.score));
    const chosen = group.reduce((a, b) => (fit(b) > fit(a) || (fit(b) === fit(a) && b.score > a.score) ? b : a));
    out.push({ ...chosen, score: best });
  }
  return out;
}

/** Each lexical signal contributes its best this many chunks to the candidates fused. */
const CANDIDATES_PER_SIGNAL = 300;

/**
 * The chunks worth fusing: each signal's best, every chunk of a document the question or the
 * conversation points at or that fits the asker's jurisdiction, and the clause named by number.
 * Scoring only these keeps a query in milliseconds on tens of thousands of chunks; a chunk outside
 * every list could not win anyway.
 */
function candidates(index: SearchIndex, signals: Float64Array[], hints: RetrievalHints): Set<number> {
  const out = new Set<number>();
  for (const scores of signals) for (const i of topIndices(scores, CANDIDATES_PER_SIGNAL)) out.add(i);
  // The copies that fit the asker (their region's, the national ones) are always weighed: among
  // hundreds of near-identical copies of a clause they might miss every signal's best few.
  const fitting = [...(hints.counterparts?.preferred ?? [])];
  // A name all editions of an instrument share (地市级) brings in the editions that apply, not hundreds.
  const applies = (doc: string): boolean => !hints.counterparts?.family.has(doc) || hints.counterparts.preferred.has(doc);
  const named = [...(hints.documents?.keys() ?? [])].filter(applies);
  const docs = [...named, ...(hints.analogue ? [hints.analogue.doc] : []), ...fitting];
  for (const doc of docs) for (const i of index.docChunks.get(doc) ?? []) out.add(i);
  if (hints.atReference) index.chunks.forEach((c, i) => hints.atReference?.(c) && out.add(i));
  return out;
}

/** Indices of the k highest positive scores (a bounded min-heap: one pass, no full sort). */
export function topIndices(scores: Float64Array, k: number): number[] {
  const heap: number[] = [];
  const less = (a: number, b: number): boolean => (scores[a] as number) < (scores[b] as number);
  const swap = (x: number, y: number): void => {
    const t = heap[x] as number;
    heap[x] = heap[y] as number;
    heap[y] = t;
  };
  for (let i = 0; i < scores.length; i++) {
    if (!((scores[i] as number) > 0)) continue;
    if (heap.length < k) {
      heap.push(i);
      for (let c = heap.length - 1; c > 0 && less(heap[c] as number, heap[(c - 1) >> 1] as number); c = (c - 1) >> 1) swap(c, (c - 1) >> 1);
    } else if (less(heap[0] as number, i)) {
      heap[0] = i;
      for (let p = 0; ; ) {
        const l = 2 * p + 1;
        const r = l + 1;
        let m = p;
        if (l < heap.length && less(heap[l] as number, heap[m] as number)) m = l;
        if (r < heap.length && less(heap[r] as number, heap[m] as number)) m = r;
        if (m === p) break;
        swap(p, m);
        p = m;
      }
    }
  }
  return heap;
}

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
export async function retrieve(index: SearchIndex, said: string, k = 8, saidHints: RetrievalHints = {}): Promise<Retrieval> {
  const question = normalizeSpoken(said);
  const hints = saidHints.ownWords === undefined ? saidHints : { ...saidHints, ownWords: normalizeSpoken(saidHints.ownWords) };
  const expansions = index.tokenizer.expansions(question);
  const expanded = [index.tokenizer.expandQuery(question, expansions), ...englishCompounds(index, expansions)].join(' ');
  // What a follow-up asks is in its own words (交给谁 after 啥时候交 asks who, not when).
  const ownKind = hints.ownWords === undefined ? 'general' : classifyQuestion(hints.ownWords);
  const kind = ownKind !== 'general' ? ownKind : classifyQuestion(question);
  const normalized = normalizeForSearch(hints.ownWords ?? question);
  const asksAboutForm = hints.aboutForm === true || FORM_QUESTION_RE.test(normalizeForSearch(question));
  // The user's own words of a follow-up, without the document names (those steer through `documents`):
  // when nothing is left (what about the 2024 guidance?) the whole thread is what is asked.
  const ownJudged = hints.ownWords === undefined ? undefined : withoutNames(hints.ownWords, hints.names);
  const ownJudgedExpansions = ownJudged === undefined ? undefined : index.tokenizer.expansions(ownJudged);
  const ownTerms = ownJudged === undefined || !ownJudgedExpansions ? [] : contentTerms(index, ownJudged, ownJudgedExpansions);
  // A self-description (我们是XX市科技情报所，22年备案的…) says who asks, not what: like a follow-up's
  // thread, it counts in the mix but the asked words weigh more.
  const asked = withoutSelfDescription(question);
  const describedSelf = asked.length > 0 && asked !== question.trim();
  const own =
    ownJudged !== undefined && ownTerms.length > 0
      ? index.tokenizer.expandQuery(ownJudged, ownJudgedExpansions)
      : describedSelf
        ? index.tokenizer.expandQuery(asked, index.tokenizer.expansions(asked))
        : undefined;
  const words = lexical(expanded, own, (t) => normalise(index.wordIndex.score(index.tokenizer.words(t))));
  const bigrams = lexical(expanded, own, (t) => normalise(index.bigramIndex.score(index.tokenizer.bigrams(t))));
  const analogue = hints.analogue ? analogueScores(index, hints.analogue) : undefined;
  const dense = new Float64Array(index.chunks.length);
  const vector = await index.embedder.embedQuery(expanded);
  for (const hit of index.vectors.search(vector, 40)) dense[hit.index] = Math.max(0, 1 - hit.distance);
  // Every candidate gets its true similarity, not only the nearest few: in a corpus where each clause
  // has hundreds of near-copies the nearest 40 are copies of one or two clauses.
  const pool = [...candidates(index, [words, bigrams, dense], hints)];
  const missing = pool.filter((i) => !((dense[i] ?? 0) > 0));
  index.vectors.similarities(vector, missing).forEach((sim, j) => (dense[missing[j] as number] = Math.max(0, sim)));
  const whole = withoutNames(question, hints.names);
  const judged = ownTerms.length > 0 && ownJudged !== undefined ? ownJudged : whole;
  const judgedExpansions = judged === question ? expansions : judged === ownJudged && ownJudgedExpansions ? ownJudgedExpansions : index.tokenizer.expansions(judged);
  const terms = ownTerms.length > 0 ? ownTerms : contentTerms(index, judged, judgedExpansions);
  const excluded = hints.excluded;
  // A document out of force is cited only when the question names it more than any in force (by its
  // number or year): a name all editions share (地市级, 指引) names the one in force.
  const inForceNamed = Math.max(0, ...[...(hints.documents ?? [])].filter(([doc]) => !excluded?.has(doc)).map(([, w]) => w));
  const named = (doc: string): boolean => (hints.documents?.get(doc) ?? 0) > inForceNamed;
  // An English question names what a clause announces (basic services) in the glossary's Chinese.
  const english = isMostlyEnglish(question);
  const expandedText = english ? normalizeForSearch(expanded).replace(/\s+/g, '') : '';
  const switchedTo = hints.analogue ? sameInstrument(hints.analogue.doc, hints.counterparts?.family) : undefined;
  const ranked: RankedChunk[] = [];
  for (const i of pool) {
    const chunk = index.chunks[i];
    if (!chunk) continue;
    // A repealed or not yet effective document is not cited as in force, unless the question names it.
    if (excluded?.has(chunk.locator.doc) && !named(chunk.locator.doc)) continue;
    // A follow-up that switches programme (那地市级的呢) asks about that programme: the previous one's
    // clause, however well its words match, is the answer already given.
    if (switchedTo && !switchedTo(chunk.locator.doc)) continue;
    let score = FUSION_WEIGHTS.words * (words[i] ?? 0) + FUSION_WEIGHTS.bigrams * (bigrams[i] ?? 0) + FUSION_WEIGHTS.dense * (dense[i] ?? 0);
    // A document states why and on what basis it was made once (为…，依据…，制定本办法): that clause is the answer.
    if (statesFactKind(chunk.text, kind)) score += kind === 'purpose' ? FUSION_WEIGHTS.purposeClause : FUSION_WEIGHTS.factBonus;
    const announced = index.leadNouns[i];
    if (announced && (normalized.includes(announced) || (english && expandedText.includes(announced)))) score += FUSION_WEIGHTS.leadNoun;
    if (chunk.kind === 'form' && !asksAboutForm) score *= FUSION_WEIGHTS.formPenalty;
    if (chunk.kind === 'instructions' && !asksAboutForm) score *= FUSION_WEIGHTS.annexPenalty;
    score += FUSION_WEIGHTS.namedDocument * (hints.documents?.get(chunk.locator.doc) ?? 0);
    if (hints.atReference?.(chunk)) score += FUSION_WEIGHTS.namedClause;
    if (analogue) score += FUSION_WEIGHTS.analogue * (analogue[i] ?? 0);
    ranked.push({ chunk, index: i, score });
  }
  const merged = hints.counterparts ? oneOfCounterparts(ranked, hints.counterparts) : ranked;
  // Equal scores keep corpus order, as when every chunk was scored in turn.
  merged.sort((a, b) => b.score - a.score || a.index - b.index);
  const elliptical = hints.ownWords !== undefined && ownTerms.length === 0;
  return { question, judged, expanded, expansions: judgedExpansions, kind, asksAboutForm, contentTerms: terms, elliptical, ranked: merged.slice(0, k) };
}

/**
 * Share of the lexical signal that comes from the user's own words in a follow-up; the rest comes
 * from the whole thread. Their own words say what is asked now (材料 after 条件), the thread what about.
 */
const OWN_WORDS_SHARE = 0.6;

function lexical(expanded: string, own: string | undefined, score: (text: string) => Float64Array): Float64Array {
  const all = score(expanded);
  if (own === undefined) return all;
  const mine = score(own);
  return all.map((s, i) => OWN_WORDS_SHARE * (mine[i] ?? 0) + (1 - OWN_WORDS_SHARE) * s);
}

/**
 * English says a compound word by word (basic services): two renderings the corpus writes joined
 * (基础 + 服务 → 基础服务: the bigram where they meet, 础服, is in the corpus) are searched joined
 * too, so the character-bigram signal finds the compound.
 */
function englishCompounds(index: SearchIndex, expansions: QueryExpansions): string[] {
  const groups = expansions.englishGroups;
  const out = new Set<string>();
  for (const [i, a] of groups.entries()) {
    for (const [j, b] of groups.entries()) {
      if (i === j) continue;
      for (const x of a) for (const y of b) if (/[\u4e00-\u9fff]$/.test(x) && /^[\u4e00-\u9fff]/.test(y) && index.bigramIndex.documentFrequency(`${x.slice(-1)}${y.slice(0, 1)}`) > 0) out.add(`${x}${y}`);
    }
  }
  return [...out];
}

/** The text without the document names it uses (the whole text when nothing else would be left). */
function withoutNames(text: string, names: string[] | undefined): string {
  if (!names || names.length === 0) return text;
  // Case-insensitive on the text as typed: refusal reads its capitals (an unknown acronym names a topic).
  let out = text;
  for (const n of names) out = out.replace(new RegExp(n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), ' ');
  return out.replace(/[\s\p{P}]/gu, '').length > 0 ? out.replace(/\s+/g, ' ').trim() : text;
}

/** The document, or any edition of the same instrument by another office. */
function sameInstrument(doc: string, family: ReadonlyMap<string, string> | undefined): (other: string) => boolean {
  const own = family?.get(doc);
  return (other) => other === doc || (own !== undefined && family?.get(other) === own);
}

/** Word similarity to the previous answer's clause, for the target document's clauses only, normalised among them. */
function analogueScores(index: SearchIndex, analogue: { doc: string; text: string }): Float64Array {
  const raw = index.wordIndex.score(index.tokenizer.words(analogue.text));
  return normalise(raw.map((s, i) => (index.chunks[i]?.locator.doc === analogue.doc ? s : 0)));
}

function normalise(scores: Float64Array): Float64Array {
  let max = 0;
  for (const s of scores) max = Math.max(max, s);
  return max > 0 ? scores.map((s) => s / max) : scores;
}


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
  let text = english ? [...glossary.english, ...glossary.unmatchedEnglish].join(' ') : withoutSelfDescription(question).replace(PURPOSE_FRAME_RE, ' ').replace(DOCUMENTS_SAY_FRAME_RE, ' ').replace(SERVED_FRAME_RE, ' ');
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
