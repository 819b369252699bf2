import type { PolicyDocument } from '../corpus/types.js';
import { deriveDocumentNames, namedDocuments, type DocumentNames, type NamedProgramme } from './document-names.js';
import { buildRightsProcedures } from './rights-procedure.js';

/** What the corpus and the programme data say about the domain, for reading questions. */
export interface DomainModel {
  documents: DocumentNames[];
  /** the question's words that name a policy subject the corpus itself uses (nouns, 2+ characters) */
  subjectWords(text: string): string[];
  /**
   * The question asks how to obtain or keep an IP right (商标续展, 布图设计登记), names no document and
   * no public service body: the patent and trademark offices' business, not these policies'.
   */
  asksRightsProcedure(question: string): boolean;
}

export interface DomainModelSources {
  docs: PolicyDocument[];
  programmes: NamedProgramme[];
  /** jieba words of a text (normalised, no stop words) */
  words(text: string): string[];
  /** jieba words with part-of-speech tags */
  tagged(text: string): Array<{ word: string; tag: string }>;
  /** in how many chunks a word occurs (0: the corpus never uses it) */
  documentFrequency(word: string): number;
  /** the public service bodies the programme data names (网点, TISC, 高校国家知识产权信息服务中心 …) */
  bodies: string[];
  /** English word → Chinese terms (the glossary) */
  english: ReadonlyMap<string, string[]>;
}

/** A document is named outright (规划里…, 办法第…) at this weight; a programme keyword alone names it at 0.5. */
const NAMED_OUTRIGHT = 1;

const NOUN_LIKE = /^(n|vn|j|l|eng)/;

/** Builds the domain model from the loaded corpus and the programme data (the one hand list, IP right procedures, is in rights-procedure.ts). */
export function buildDomainModel(sources: DomainModelSources): DomainModel {
  const documents = deriveDocumentNames(sources.docs, sources.programmes, sources.words, sources.tagged);
  const rights = buildRightsProcedures(sources.docs, (text) => sources.words(text).at(-1) ?? text);
  return {
    documents,
    // A question naming a document asks what that document says (规划里对专利审查有啥提法).
    asksRightsProcedure: (question) => ![...namedDocuments(question, documents).values()].some((w) => w >= NAMED_OUTRIGHT) && rights.asksRightsProcedure(question, sources.bodies, sources.english),
    subjectWords: (text) =>
      sources
        .tagged(text)
        .filter(({ word, tag }) => NOUN_LIKE.test(tag) && [...word].length >= 2 && sources.documentFrequency(word) > 0)
        .map(({ word }) => word),
  };
}
