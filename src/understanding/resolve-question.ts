import type { ConversationContext } from '../core/conversation.js';
import type { Chunk } from '../corpus/types.js';
import { withoutSelfDescription } from '../retrieval/self-description.js';
import { articleReference, chunkAtReference, type ArticleReference } from './article-reference.js';
import type { DomainModel } from './domain-model.js';
import { namedDocuments, namesUsed, otherDocumentNames } from './document-names.js';
import { correctionBody, isCorrection, leadingDemonstrative, startsAsContinuation } from './question-shape.js';

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
  /** the English document names the question uses (a name is not a subject the corpus must cover) */
  names: string[];
  /**
   * The same question for another programme (那地市级的呢, 不对，我问的是地市级的): the document it
   * switched to and the previous answer's clause, whose counterpart in that document is wanted.
   */
  analogue?: { doc: string; previous: { doc: string; label: string } };
}

/** How surely a follow-up still points at the previous turn's document when it names none. */
const CONTEXT_DOCUMENT_WEIGHT = 0.6;
/** How much of the previous turn's words a follow-up carries on (a question or two), in characters of Chinese. */
const THREAD_MAX_CHARS = 80;

/**
 * The start of a text up to `max` characters, an English word counting as two: a word says about
 * what two Chinese characters do, so an English thread keeps as much of its question as a Chinese
 * one (counted in letters, "…IP public services for SMEs?" lost its last word).
 */
export function clipThread(text: string, max: number): string {
  let used = 0;
  let end = 0;
  for (const m of text.matchAll(/[A-Za-z0-9'’-]+|[\s\S]/gu)) {
    used += /^[A-Za-z0-9'’-]+$/.test(m[0]) ? 2 : /\s/.test(m[0]) ? 0 : 1;
    if (used > max) break;
    end = (m.index ?? 0) + m[0].length;
  }
  return text.slice(0, end).trimEnd();
}
/** A question with at most this many subject words of its own leans on the previous turn. */
const ELLIPTICAL_SUBJECTS = 1;
/** A message with this many subject words of its own is a complete question, even after 那…. */
const COMPLETE_SUBJECTS = 3;
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
  const base = { ...(reference ? { reference } : {}), names: namesUsed(question, model.documents) };
  const relation = context ? relationTo(question, model, named, reference) : 'fresh';
  if (relation === 'fresh' || !context) return { ...base, query: question, documents: named, relation: 'fresh', body: question, thread: question, ...withReference(reference, named) };
  if (relation === 'fresh-in-context') {
    const documents = named.size > 0 || !context.doc ? named : new Map([[context.doc, CONTEXT_DOCUMENT_WEIGHT]]);
    return { ...base, query: question, documents, relation: 'fresh', body: question, thread: question, ...withReference(reference, documents) };
  }
  const [strongest] = [...named].sort((a, b) => b[1] - a[1]);
  const switchedTo = strongest && strongest[0] !== context.doc ? strongest[0] : undefined;
  const previous = switchedTo ? stripNames(context.query, otherDocumentNames(model.documents, switchedTo)) : context.query;
  const body = relation === 'correction' ? correctionBody(question) : withoutReferent(question, model);
  const documents = new Map(named);
  if (!switchedTo && context.doc) documents.set(context.doc, Math.max(documents.get(context.doc) ?? 0, CONTEXT_DOCUMENT_WEIGHT));
  // A clause named by number in a follow-up (第十九条呢) is the previous document's clause, not the whole topic again.
  // The thread keeps the start of the conversation's question, not every turn ever said.
  // …and what was asked, not who asked it (我们是省农科院… is not the subject of 交给谁).
  const thread = reference ? body : [body, clipThread(withoutSelfDescription(previous), THREAD_MAX_CHARS)].filter(Boolean).join(' ');
  const query = reference || switchedTo ? thread : [thread, context.topic ?? ''].filter(Boolean).join(' ');
  const [label] = context.articles;
  const analogue = switchedTo && !reference && context.doc && label ? { analogue: { doc: switchedTo, previous: { doc: context.doc, label } } } : {};
  return { ...base, names: namesUsed(query, model.documents), query, documents, relation, body, thread, ...analogue, ...withReference(reference, documents) };
}

/**
 * 这些原则最后要达到啥目标: the noun after the demonstrative (原则) is what the previous turn was about,
 * already in the thread; what is asked now is the rest (目标).
 */
function withoutReferent(question: string, model: DomainModel): string {
  const demonstrative = leadingDemonstrative(question);
  if (!demonstrative || !/[\u4e00-\u9fff]/.test(demonstrative)) return question;
  const rest = question.trim().slice(demonstrative.length);
  const [referent] = model.subjectWords(rest);
  const body = referent && rest.startsWith(referent) ? rest.slice(referent.length) : rest;
  return body.trim() || question;
}

function relationTo(question: string, model: DomainModel, named: Map<string, number>, reference: ArticleReference | undefined): ResolvedQuestion['relation'] | 'fresh-in-context' {
  if (isCorrection(question)) return 'correction';
  if (reference && named.size === 0) return 'follow-up';
  const own = model.subjectWords(stripNames(question, model.documents.flatMap((d) => d.names.map((n) => n.term))));
  const short = [...question.replace(/[\s\p{P}]/gu, '')].length <= ELLIPTICAL_MAX_CHARS;
  // 那… / 这些… continue the thread unless what follows is a complete question of its own
  // (那地市中心登记信息变了咋办 names its subject: searched as said, in the conversation's document).
  if (startsAsContinuation(question)) return own.length >= COMPLETE_SUBJECTS && !short ? 'fresh-in-context' : 'follow-up';
  return own.length <= ELLIPTICAL_SUBJECTS && short ? 'follow-up' : 'fresh';
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
