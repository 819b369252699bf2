import { statesFactKind, type QuestionKind } from '../retrieval/question-kind.js';
import { normalizeForSearch } from '../retrieval/text-normalize.js';

/** Splits verbatim text into sentences (ending 。；！？ or a line break), keeping the punctuation. */
export function splitSentences(text: string): string[] {
  return text
    .split('\n')
    .flatMap((line) => line.match(/[^。；！？!?;]+[。；！？!?;]?/g) ?? [])
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export interface TermWeight {
  term: string;
  weight: number;
}

/** Score of a sentence: the weight of query terms it contains, plus a bonus when it states the fact kind asked for. */
export function scoreSentence(sentence: string, terms: TermWeight[], kind: QuestionKind): number {
  const norm = normalizeForSearch(sentence);
  let s = 0;
  for (const { term, weight } of terms) if (norm.includes(term)) s += weight;
  if (statesFactKind(sentence, kind)) s += 1.5;
  return s;
}

/**
 * The sentence that best answers the question, verbatim, other than those in `said`. A heading-like
 * sentence (shorter than 16 characters) is followed by the next one so the lead says something.
 */
export function bestSentence(text: string, terms: TermWeight[], kind: QuestionKind, said: ReadonlySet<string> = new Set()): string {
  const sentences = splitSentences(text);
  if (sentences.length === 0) return text;
  // A sentence an earlier part of the message already led with answers that part, not this one.
  const fresh = sentences.some((s) => !said.has(s));
  // A lead-in (…应当具备下列条件：) announces its items; one of them answers, unless a list is asked.
  const leadIns = kind !== 'list' ? new Set(sentences.filter((s) => /[：:]$/.test(s))) : new Set<string>();
  const usable = sentences.some((s) => !leadIns.has(s) && !said.has(s));
  let best = 0;
  let bestScore = -1;
  sentences.forEach((s, i) => {
    if (fresh && said.has(s)) return;
    if (usable && leadIns.has(s)) return;
    const score = scoreSentence(s, terms, kind);
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  });
  const lead = sentences[best] ?? '';
  const next = sentences[best + 1];
  // …but only a title its paragraph goes on from: an item line (（一）配备…。) stands alone.
  const continues = next !== undefined && (lead.replace(/\s/g, '').length < 16 || text.includes(`${lead}${next}`));
  return isTitleLike(lead) && next && continues ? `${lead}${next}` : lead;
}

/**
 * A sentence that only names its section (shorter than 16 characters, or a numbered run-in title such
 * as “(十五)开展知识产权公共服务信息采集。”) says nothing until the next one.
 */
function isTitleLike(sentence: string): boolean {
  const bare = sentence.replace(/\s/g, '');
  return bare.length < 16 || (/^[（(][一二三四五六七八九十]+[)）]/.test(bare) && bare.length <= TITLE_MAX_CHARS);
}

/** The longest numbered run-in title (（十五）加强知识产权公共服务人才保障。 is 20). */
const TITLE_MAX_CHARS = 30;
