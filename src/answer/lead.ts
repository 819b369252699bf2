import type { Chunk } from '../corpus/types.js';
import type { Retrieval } from '../retrieval/hybrid-retriever.js';
import type { SearchIndex } from '../retrieval/search-index.js';
import { setAsidePart } from '../understanding/question-shape.js';
import { asksForPoints, sectionPoints } from './section-points.js';
import { bestSentence, type TermWeight } from './select-sentences.js';

/**
 * The lead of a part's answer, verbatim from its clause: the section's run-in heads when the question
 * asks which points it has, else the sentence that best answers it, other than those earlier parts
 * of the message led with (`said`).
 */
export function leadOf(index: SearchIndex, chunk: Chunk, retrieval: Retrieval, question: string, said: ReadonlySet<string>): string {
  return pointsLead(index, chunk, question) ?? sentenceLead(chunk, termWeights(index, retrieval), retrieval, said);
}

/** The chunks of one document, in corpus order. */
export function chunksOf(index: SearchIndex, doc: string): Chunk[] {
  return (index.docChunks.get(doc) ?? []).flatMap((i) => index.chunks[i] ?? []);
}

/**
 * 基本原则是哪几条: when the answering section is written as run-in heads and the question asks
 * which points its heading has, the lead is the heading and the heads, each verbatim.
 */
function pointsLead(index: SearchIndex, chunk: Chunk, question: string): string | undefined {
  const section = sectionPoints(chunksOf(index, chunk.locator.doc).filter((c) => c.locator.label === chunk.locator.label).map((c) => c.text));
  return section && asksForPoints(question, section.heading) ? [section.heading, ...section.points].join('\n') : undefined;
}

function termWeights(index: SearchIndex, retrieval: Retrieval): TermWeight[] {
  const words = new Set([...retrieval.contentTerms, ...index.tokenizer.words(retrieval.expanded)]);
  // 除了省内对口帮扶，对外省有帮扶吗: what the asker sets aside is what the lead should not be about.
  const aside = setAsidePart(retrieval.question);
  const asked = new Set(index.tokenizer.words(retrieval.question.replace(aside, ' ')));
  const setAside = new Set(index.tokenizer.words(aside).filter((w) => !asked.has(w)));
  return [...words].map((term) => ({ term, weight: (setAside.has(term) ? -1 : 1) * index.wordIndex.idf(term) }));
}

function sentenceLead(chunk: Chunk, terms: TermWeight[], retrieval: Retrieval, said: ReadonlySet<string>): string {
  // A table row means nothing without its header (指标 2020年 2025年 …): lead with both.
  if (chunk.kind === 'table-row') {
    const [header = '', ...rows] = chunk.text.split('\n');
    return `${header}\n${bestSentence(rows.join('\n'), terms, retrieval.kind, said)}`;
  }
  return bestSentence(chunk.text, terms, retrieval.kind, said);
}
