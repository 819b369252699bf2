import type { ConversationContext } from '../core/conversation.js';
import type { Chunk } from '../corpus/types.js';
import { articleReference, chunkAtReference, type ArticleReference } from './article-reference.js';
import type { DomainModel } from './domain-model.js';
import { namedDocuments, otherDocumentNames } from './document-names.js';
import { correctionBody, isCorrection, startsAsContinuation } from './question-shape.js';

/** A question made ready for retrieval: its search text, the documents and clause it points at. */
export interface ResolvedQuestion {
  /** the text retrieval searches (the question, with the previous turn merged in for a follow-up) */
  query: string;
  documents: Map<string, number>;
  reference?: ArticleReference;
  atReference?: (chunk: Chunk) => boolean;
  /** how it relates to the previous turn */
  relation: 'fresh' | 'follow-up' | 'correction';
  /** the user's own words of this turn (without a correction marker) */
  body: string;
  /** what the next turn follows up on: this turn's words with the previous turn's (no topic) */
  thread: string;
}

/** How surely a follow-up still points at the previous turn's document when it names none. */
const CONTEXT_DOCUMENT_WEIGHT = 0.6;
/** How much of the previous turn's words a follow-up carries on (a question or two). */
const THREAD_MAX_CHARS = 80;
/** A question with at most this many subject words of its own leans on the previous turn. */
const ELLIPTICAL_SUBJECTS = 1;
/** …and is short: a long question with few corpus words is a new question in new words. */
const ELLIPTICAL_MAX_CHARS = 14;

/**
 * Reads a question against the previous turn. A correction (不对，我问的是地市级的) re-asks the
 * previous question for what it names now; a follow-up (那…呢, 交给谁, 第十九条呢, what about …)
 * is searched together with the previous question and its topic, with the document it names
 * replacing the previous one; a complete question starts over.
 */
export function resolveQuestion(question: string, model: DomainModel, context?: ConversationContext): ResolvedQuestion {
  const reference = articleReference(question);
  const named = namedDocuments(question, model.documents);
  const base = { ...(reference ? { reference } : {}) };
  const relation = context ? relationTo(question, model, named, reference) : 'fresh';
  if (relation === 'fresh' || !context) return { ...base, query: question, documents: named, relation: 'fresh', body: question, thread: question, ...withReference(reference, named) };
  const [strongest] = [...named].sort((a, b) => b[1] - a[1]);
  const switchedTo = strongest && strongest[0] !== context.doc ? strongest[0] : undefined;
  const previous = switchedTo ? stripNames(context.query, otherDocumentNames(model.documents, switchedTo)) : context.query;
  const body = relation === 'correction' ? correctionBody(question) : question;
  const documents = new Map(named);
  if (!switchedTo && context.doc) documents.set(context.doc, Math.max(documents.get(context.doc) ?? 0, CONTEXT_DOCUMENT_WEIGHT));
  // A clause named by number in a follow-up (第十九条呢) is the previous document's clause, not the whole topic again.
  // The thread keeps the start of the conversation's question, not every turn ever said.
  const thread = reference ? body : [body, [...previous].slice(0, THREAD_MAX_CHARS).join('')].filter(Boolean).join(' ');
  const query = reference || switchedTo ? thread : [thread, context.topic ?? ''].filter(Boolean).join(' ');
  return { ...base, query, documents, relation, body, thread, ...withReference(reference, documents) };
}

function relationTo(question: string, model: DomainModel, named: Map<string, number>, reference: ArticleReference | undefined): ResolvedQuestion['relation'] {
  if (isCorrection(question)) return 'correction';
  if (reference && named.size === 0) return 'follow-up';
  if (startsAsContinuation(question)) return 'follow-up';
  const own = model.subjectWords(stripNames(question, model.documents.flatMap((d) => d.names.map((n) => n.term))));
  return own.length <= ELLIPTICAL_SUBJECTS && [...question.replace(/[\s\p{P}]/gu, '')].length <= ELLIPTICAL_MAX_CHARS ? 'follow-up' : 'fresh';
}

/** The clause named by number, in the named (or conversation's) document when there is one. */
function withReference(reference: ArticleReference | undefined, documents: Map<string, number>): Pick<ResolvedQuestion, 'atReference'> {
  if (!reference) return {};
  const [doc] = [...documents].sort((a, b) => b[1] - a[1])[0] ?? [];
  return { atReference: (chunk) => chunkAtReference(chunk, reference) && (doc === undefined || chunk.locator.doc === doc) };
}

function stripNames(text: string, names: string[]): string {
  let out = text;
  for (const n of [...names].sort((a, b) => b.length - a.length)) out = out.split(n).join(' ');
  return out.replace(/\s+/g, ' ').trim();
}
