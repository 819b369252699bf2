import type { ConversationContext } from '../core/conversation.js';
import type { SelfCheckPrefill } from '../programmes/prefill.js';

/** A citation is data: a document id and a locator that resolve to verbatim corpus text. */
export interface Citation {
  doc: string;
  title: string;
  /** locator as a reader writes it: 第五条第（一）项, 二、（五）, 附件 填表说明 三 */
  article: string;
  /** verbatim text of the cited unit (or of the sentence quoted from it) */
  quote: string;
}

/**
 * answer: the documents answer it; not_stated: they regulate the subject but not the detail asked
 * (公示 yes, 公示天数 no); not_covered: they do not regulate the subject (fees, weather, another
 * province); smalltalk: greetings, thanks, "what can you do". Both refusals cite nothing.
 */
export type AnswerKind = 'answer' | 'not_stated' | 'not_covered' | 'smalltalk';

export interface Answer {
  answer: string;
  citations: Citation[];
  refused: boolean;
  kind: AnswerKind;
  /** for refusals: the clauses that mention the subject (shown as 相关条款), never used as support */
  nearest?: Citation[];
  language: 'zh' | 'en';
  /** 0..1: how well the corpus covers the question (used for refusal) */
  confidence: number;
  /** what this turn was about, for reading the next one (absent for small talk: the thread goes on) */
  context?: ConversationContext;
  /** what the asker said about their institution, offered as a pre-filled self-check (/check) */
  selfCheck?: SelfCheckPrefill;
  /** why it was answered or refused (question log, operator console) */
  trace?: AnswerTrace;
}

/**
 * How an answer came about, for operators: the question as understood, each part's ranked
 * clauses with their fused scores, the coverage compared with the refusal threshold, and the
 * programme and topic (the heading of the deciding clause) it is counted under in reports.
 */
export interface AnswerTrace {
  threshold: number;
  asOf: string;
  region?: string;
  programme?: string;
  topic?: string;
  parts: TracePart[];
}

export interface TracePart {
  question: string;
  /** what retrieval searched (a follow-up carries the previous turn's words) */
  query: string;
  relation: 'fresh' | 'follow-up' | 'correction';
  /** documents the question (or the conversation) names, with their weights */
  documents: Array<{ doc: string; weight: number }>;
  confidence: number;
  answered: boolean;
  reason: 'named_clause' | 'covered' | 'below_threshold' | 'other_province' | 'rights_procedure' | 'no_candidates';
  ranked: Array<{ doc: string; article: string; score: number }>;
}
