import type { Retrieval } from '../retrieval/hybrid-retriever.js';
import type { SearchIndex } from '../retrieval/search-index.js';
import { isMostlyEnglish, normalizeForSearch } from '../retrieval/text-normalize.js';
import { askedContact, askedUnit, statesFactKind, type QuestionKind } from '../retrieval/question-kind.js';

/**
 * Calibrated on the dev set (npm run eval): below this coverage the corpus is taken
 * not to answer. See docs/retrieval.md for how it was chosen.
 */
export const DEFAULT_REFUSAL_THRESHOLD = 0.38;

/**
 * How much of the question the best passages cover: the IDF-weighted share of the
 * question's content words that appear in the top passages. Words the corpus never uses
 * (年费, 滞纳金, PCT…) carry the highest weight, so a question about something the
 * policies do not regulate scores low even when a passage shares its generic words.
 */
export function coverage(index: SearchIndex, retrieval: Retrieval, topN = 3): number {
  const base = termCoverage(index, retrieval, topN);
  // A question that asks when / how many / who, answered by a passage that states no date,
  // number or actor, is probably about something the corpus does not regulate.
  const best = retrieval.ranked[0]?.chunk.text ?? '';
  const asked = normalizeForSearch(retrieval.question);
  // An address or a phone number must be in the passage that answers: another programme's system
  // address two clauses down is not the one asked for.
  const contact = askedContact(asked);
  const unit = askedUnit(asked);
  const kindMet = contact
    ? contact.test(best)
    : unit
    ? retrieval.ranked.slice(0, 2).some((r) => unit.test(r.chunk.text))
    : KIND_CHECKED.has(retrieval.kind)
      ? ANSWERED_BY[retrieval.kind].some((k) => statesFactKind(best, k))
      : true;
  const subjectMet = subjectInBest(index, retrieval) && askedThingInBest(index, retrieval);
  return base * (kindMet ? 1 : KIND_MISMATCH_FACTOR) * (subjectMet ? 1 : SUBJECT_MISMATCH_FACTOR);
}

/** Confidence multiplier when the question's most specific term is not in the best passage. */
export const SUBJECT_MISMATCH_FACTOR = 0.3;

/**
 * The question's most specific known term (the longest one, at least six characters, such as
 * 高校国家知识产权信息服务中心) should appear in the passage that answers it; when the best passage
 * talks about something else, the corpus probably regulates a different programme than asked.
 */
function subjectInBest(index: SearchIndex, retrieval: Retrieval): boolean {
  // Only a term the user wrote: one a colloquial word was expanded into (省局 → 省级知识产权局) is the
  // lexicon's guess at how the texts say it, and a passage may say it another way.
  const said = normalizeForSearch(retrieval.judged);
  const specific = retrieval.contentTerms.filter((t) => [...t].length >= 6 && index.wordIndex.documentFrequency(t) > 0 && said.includes(t)).sort((a, b) => b.length - a.length)[0];
  if (!specific) return true;
  const best = normalizeForSearch(retrieval.ranked[0]?.chunk.searchText ?? '');
  return best.includes(specific);
}

/**
 * 有没有X / 有X吗 / 会发X吗 asks whether a thing exists; a rare thing (证书, 名额: a word at most
 * RARE_THING_CHUNKS clauses use, or none) must be in the passage that answers, else the documents do not
 * say it exists. Common things (目标, 优势, 范围) are said in too many ways to check.
 */
function askedThingInBest(index: SearchIndex, retrieval: Retrieval): boolean {
  const said = isMostlyEnglish(retrieval.judged) ? englishThing(index, retrieval.judged) : chineseThing(index, retrieval.judged);
  if (!said || said.every((x) => index.wordIndex.documentFrequency(x) > RARE_THING_CHUNKS)) return true;
  const best = normalizeForSearch(retrieval.ranked[0]?.chunk.searchText ?? '');
  return said.some((x) => best.includes(x));
}

/** 会发证书吗 → the thing's head noun as said, and as the texts say it (期限 → 有效期, 期满). */
function chineseThing(index: SearchIndex, question: string): string[] | undefined {
  const thing = EXISTENCE_RE.exec(normalizeForSearch(question))?.[2];
  if (!thing) return undefined;
  const head = index.tokenizer.tagged(thing).filter(({ word, tag }) => /^n/.test(tag) && [...word].length >= 2).at(-1)?.word;
  return head ? [head, ...(index.lexicon.synonyms.get(head) ?? []).map((v) => normalizeForSearch(v))] : undefined;
}

/** Is there a government subsidy for … → the thing's last word in the glossary's Chinese (补助, 资助). */
function englishThing(index: SearchIndex, question: string): string[] | undefined {
  const words = ENGLISH_EXISTENCE_RE.exec(question.toLowerCase())?.[1]?.trim().split(/\s+/);
  const head = words?.at(-1);
  if (!head) return undefined;
  const rendered = index.lexicon.english.get(head) ?? index.lexicon.english.get(head.replace(/s$/, ''));
  return rendered && rendered.length > 0 ? rendered.map((r) => normalizeForSearch(r)) : undefined;
}

const EXISTENCE_RE = /(有没有|有无|是否有|会不会发|会发|发不发|有)([\u4e00-\u9fff]{2,10}?)(吗|没|么|不)?(?=[？?。！!，,]|$)/;
const ENGLISH_EXISTENCE_RE = /\b(?:is|are) there (?:an?|any)?\s*([a-z][a-z -]{1,40}?)(?=\s+(?:for|to|of|in|on|at|that|which|when|if)\b|[?,.]|$)/;
const RARE_THING_CHUNKS = 2;

/**
 * Weight of an English word outside both glossaries, relative to its IDF. With the CC-CEDICT-derived
 * glossary most English words find a corpus word, so one that does not is about as telling as a
 * Chinese word the corpus never uses (0.3 before that glossary; 0.7 and 1.0 measured on dev2: same
 * false refusals at 0.7, one more at 1.0).
 */
export const UNMATCHED_ENGLISH_WEIGHT = 0.7;

/** Weight of a question word the corpus never uses, relative to its (maximal) IDF. */
export const UNKNOWN_TERM_WEIGHT = 0.7;

/**
 * Kinds whose answer has a recognisable form (a number, a length of time, a date, a place).
 * “Who” is not checked: the actor is named in too many ways (经…审核, 由…负责, 报送…) to test.
 */
const KIND_CHECKED = new Set<QuestionKind>(['number', 'duration', 'time', 'where', 'purpose']);
/** A number question may be answered by a length of time (几个月 → 半年) and the other way round. */
const ANSWERED_BY: Record<QuestionKind, QuestionKind[]> = {
  purpose: ['purpose'],
  number: ['number', 'duration'],
  duration: ['duration', 'number'],
  time: ['time', 'duration'],
  where: ['where'],
  served: ['served'],
  who: ['who'],
  list: ['list'],
  general: ['general'],
};

/** Confidence multiplier when the best passage does not state the kind of fact asked for. */
export const KIND_MISMATCH_FACTOR = 0.35;

/**
 * How much a question word counts: a glossary term or acronym the corpus never uses names a topic
 * the policies do not cover (fee → 费用, PCT) and counts most; an everyday English word counts little;
 * a Chinese word the corpus never uses is often self-description and counts less than a known one.
 */
function termWeight(inCorpus: boolean, namesTopic: boolean, everydayEnglish: boolean): number {
  if (everydayEnglish) return UNMATCHED_ENGLISH_WEIGHT;
  if (namesTopic) return inCorpus ? 1 : ABSENT_TOPIC_TERM_WEIGHT;
  return inCorpus ? 1 : UNKNOWN_TERM_WEIGHT;
}

/** Weight of a topic name (glossary term, acronym such as PCT) the corpus never uses: the question is about something else. */
export const ABSENT_TOPIC_TERM_WEIGHT = 1.5;

function termCoverage(index: SearchIndex, retrieval: Retrieval, topN: number): number {
  const terms = retrieval.contentTerms;
  if (terms.length === 0) return 0;
  // A clause covers the words of its document's title too (规划里…, 办法第…).
  const top = retrieval.ranked.slice(0, topN).map((r) => normalizeForSearch(`${r.chunk.locator.title}\n${r.chunk.searchText}`));
  if (isMostlyEnglish(retrieval.judged) && retrieval.expansions.englishGroups.length > 0) return englishCoverage(index, retrieval, top);
  let total = 0;
  let covered = 0;
  const { expansions } = retrieval;
  const glossary = new Set(expansions.english);
  const unmatchedEnglish = new Set(expansions.unmatchedEnglish);
  const acronyms = unknownAcronyms(index, retrieval);
  const sayings = alternatives(index);
  for (const t of terms) {
    const w = index.wordIndex.idf(t) * termWeight(index.wordIndex.documentFrequency(t) > 0, glossary.has(t) || acronyms.has(t), unmatchedEnglish.has(t) && !acronyms.has(t));
    total += w;
    const said = sayings.get(t) ?? [t];
    if (top.some((text) => said.some((x) => text.includes(x)))) covered += w;
  }
  return total > 0 ? covered / total : 0;
}

/**
 * The ways the documents say a term a colloquial word was replaced by (省局 → 省级知识产权局, which
 * the texts also call 省级知识产权管理部门): a passage saying any of them covers the term.
 */
function alternatives(index: SearchIndex): Map<string, string[]> {
  const known = memo.get(index.lexicon);
  if (known) return known;
  const out = new Map<string, string[]>();
  for (const values of index.lexicon.synonyms.values()) {
    const [first] = values;
    if (first === undefined) continue;
    const normalized = values.map((v) => normalizeForSearch(v));
    out.set(normalizeForSearch(first), [...new Set([...(out.get(normalizeForSearch(first)) ?? [normalizeForSearch(first)]), ...normalized])]);
  }
  memo.set(index.lexicon, out);
  return out;
}
const memo = new WeakMap<object, Map<string, string[]>>();

/**
 * Why a refused question is refused: when the corpus knows (nearly) everything the question is
 * about, the subject is regulated and only the detail asked is not (not_stated, with the nearest
 * clauses); when the question's subject words are foreign to the corpus, it is not covered.
 */
export function refusalKind(index: SearchIndex, retrieval: Retrieval): 'not_stated' | 'not_covered' {
  // English words no glossary knows are unknown subjects too (weather, Beijing).
  const terms = [...new Set([...retrieval.contentTerms, ...retrieval.expansions.unmatchedEnglish])];
  let known = 0;
  let total = 0;
  for (const t of terms) {
    const df = index.wordIndex.documentFrequency(t);
    const w = index.wordIndex.idf(t);
    total += w;
    if (df > 0) known += w;
  }
  return total > 0 && known / total >= KNOWN_SUBJECT_SHARE ? 'not_stated' : 'not_covered';
}

/** Share of the question's (IDF-weighted) subject words the corpus must know for "regulated, detail not stated". */
export const KNOWN_SUBJECT_SHARE = 0.85;

/**
 * Coverage of an English question: each English word or phrase the glossary knows is one unit,
 * covered when any of its Chinese renderings is in the top passages (a word has several); unknown
 * English words count as in termWeight (acronyms as topics, everyday words little).
 */
function englishCoverage(index: SearchIndex, retrieval: Retrieval, top: string[]): number {
  let total = 0;
  let covered = 0;
  const acronyms = unknownAcronyms(index, retrieval);
  for (const group of retrieval.expansions.englishGroups) {
    const known = group.filter((t) => index.wordIndex.documentFrequency(t) > 0);
    const w = Math.max(0, ...(known.length > 0 ? known : group).map((t) => index.wordIndex.idf(t))) * (known.length > 0 ? 1 : ABSENT_TOPIC_TERM_WEIGHT);
    total += w;
    if (group.some((t) => top.some((text) => text.includes(t)))) covered += w;
  }
  for (const word of retrieval.expansions.unmatchedEnglish) {
    total += index.wordIndex.idf(word) * (acronyms.has(word) ? ABSENT_TOPIC_TERM_WEIGHT : UNMATCHED_ENGLISH_WEIGHT);
  }
  return total > 0 ? covered / total : 0;
}

/** Acronyms the glossary does not know (PCT, WIPO): they name a topic, unlike other unknown English words. */
function unknownAcronyms(index: SearchIndex, retrieval: Retrieval): Set<string> {
  return new Set((retrieval.judged.match(/[A-Z]{2,6}/g) ?? []).map((a) => a.toLowerCase()).filter((a) => !index.lexicon.english.has(a)));
}
