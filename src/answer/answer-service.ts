import type { Chunk } from '../corpus/types.js';
import { retrieve, type Retrieval } from '../retrieval/hybrid-retriever.js';
import type { SearchIndex } from '../retrieval/search-index.js';
import { isMostlyEnglish } from '../retrieval/text-normalize.js';
import type { ProgrammeCatalog } from '../programmes/catalog.js';
import type { Rephraser } from './llm-rephraser.js';
import { fill, type Messages } from './messages.js';
import { matchChecklistQuestion, renderChecklist } from './structured-answer.js';
import { coverage, DEFAULT_REFUSAL_THRESHOLD } from './refusal.js';
import { bestSentence, type TermWeight } from './select-sentences.js';
import type { Answer, Citation } from './types.js';

export interface AnswerServiceOptions {
  /** the current index (a getter, so /reindex can swap it while the bot runs) */
  index: () => SearchIndex;
  messages: Messages;
  /** when given, broad checklist questions are answered from the programme data */
  catalog?: ProgrammeCatalog;
  /** when given, a plain-language sentence from an LLM is put before the cited clauses */
  rephraser?: Rephraser;
  refusalThreshold?: number;
}

export interface AnswerService {
  /** language: force the answer language (otherwise the question's language decides) */
  answer(question: string, options?: { language?: 'zh' | 'en' }): Promise<Answer>;
}

/** Secondary passages are shown only when they score at least this share of the best one. */
const SECONDARY_RATIO = 0.75;

/**
 * Question → extractive, cited answer. Leads with the sentence that states the fact,
 * quotes the decisive clause in full, adds up to two related clauses, and refuses
 * (citing nothing) when the corpus does not cover the question.
 */
export function createAnswerService(options: AnswerServiceOptions): AnswerService {
  const threshold = options.refusalThreshold ?? DEFAULT_REFUSAL_THRESHOLD;
  const { messages } = options;
  return {
    async answer(question, answerOptions = {}): Promise<Answer> {
      const index = options.index();
      const language = answerOptions.language ?? (isMostlyEnglish(question) ? 'en' : 'zh');
      const checklist = options.catalog && !isMostlyEnglish(question) && language === 'zh' ? matchChecklistQuestion(question, options.catalog, index.tokenizer) : undefined;
      if (checklist && options.catalog) {
        const rendered = renderChecklist(options.catalog, checklist.kind, checklist.programme);
        return { answer: rendered.text, citations: rendered.citations, refused: false, language, confidence: 1 };
      }
      const retrieval = await retrieve(index, question);
      const confidence = coverage(index, retrieval);
      const top = retrieval.ranked[0];
      if (!top || confidence < threshold) return refuse(index, messages, language, confidence);
      const terms = termWeights(index, retrieval);
      const chosen = pickPassages(retrieval);
      const citations = chosen.map((chunk, i) => citationFor(chunk, i === 0 || isShort(chunk.text) ? chunk.text : bestSentence(chunk.text, terms, retrieval.kind)));
      const lead = leadFor(chosen[0] ?? top.chunk, terms, retrieval);
      const extractive: Answer = { answer: render(messages, language, lead, chosen, citations), citations, refused: false, language, confidence };
      const plain = await options.rephraser?.rephrase(question, extractive);
      return plain ? { ...extractive, answer: `${plain}\n\n${extractive.answer}` } : extractive;
    },
  };
}

/** A passage short enough to quote whole even as a secondary citation. */
function isShort(text: string): boolean {
  return text.replace(/\s/g, '').length <= 120;
}

function pickPassages(retrieval: Retrieval): Chunk[] {
  const [first, ...rest] = retrieval.ranked;
  if (!first) return [];
  const out = [first.chunk];
  for (const r of rest) {
    if (out.length >= 3 || r.score < first.score * SECONDARY_RATIO) break;
    if (out.some((c) => c.locator.doc === r.chunk.locator.doc && c.locator.label === r.chunk.locator.label)) continue;
    // An empty form skeleton adds nothing to an answer about the rules themselves.
    if (r.chunk.kind === 'form' && !retrieval.asksAboutForm) continue;
    out.push(r.chunk);
  }
  return out;
}

function termWeights(index: SearchIndex, retrieval: Retrieval): TermWeight[] {
  const words = new Set([...retrieval.contentTerms, ...index.tokenizer.words(retrieval.expanded)]);
  return [...words].map((term) => ({ term, weight: index.wordIndex.idf(term) }));
}

function leadFor(chunk: Chunk, terms: TermWeight[], retrieval: Retrieval): string {
  // A table row means nothing without its header (指标 2020年 2025年 …): lead with both.
  if (chunk.kind === 'table-row') {
    const [header = '', ...rows] = chunk.text.split('\n');
    return `${header}\n${bestSentence(rows.join('\n'), terms, retrieval.kind)}`;
  }
  return bestSentence(chunk.text, terms, retrieval.kind);
}

function citationFor(chunk: Chunk, quote: string): Citation {
  return { doc: chunk.locator.doc, title: chunk.locator.title, article: chunk.locator.label, quote };
}

function render(messages: Messages, language: 'zh' | 'en', lead: string, chunks: Chunk[], citations: Citation[]): string {
  const [first, ...others] = citations;
  if (!first) return '';
  const m = language === 'en' ? messages.en : messages.zh;
  const parts: string[] = [];
  if (language === 'en') parts.push(fill(messages.en.lead, { title: first.title, label: first.article }), `“${lead}”`);
  else parts.push(lead, fill(m.source_line, { title: first.title, label: first.article }));
  const firstChunk = chunks[0];
  if (firstChunk && firstChunk.text.replace(/\s/g, '') !== lead.replace(/\s/g, '')) parts.push('', m.full_text, firstChunk.text);
  if (others.length > 0) {
    parts.push('', m.see_also);
    for (const c of others) parts.push(`·《${c.title}》${c.article}：${c.quote}`);
  }
  return parts.join('\n');
}

function refuse(index: SearchIndex, messages: Messages, language: 'zh' | 'en', confidence: number): Answer {
  const titles = index.docs.map((d) => `《${d.title}》`).join('、');
  const template = language === 'en' ? messages.en.refusal : messages.zh.refusal;
  return { answer: fill(template, { titles }), citations: [], refused: true, language, confidence };
}
