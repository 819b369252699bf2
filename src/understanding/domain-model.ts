import type { PolicyDocument } from '../corpus/types.js';
import { deriveDocumentNames, type DocumentNames, type NamedProgramme } from './document-names.js';

/** What the corpus and the programme data say about the domain, for reading questions. */
export interface DomainModel {
  documents: DocumentNames[];
  /** the question's words that name a policy subject the corpus itself uses (nouns, 2+ characters) */
  subjectWords(text: string): string[];
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
}

const NOUN_LIKE = /^(n|vn|j|l|eng)/;

/** Builds the domain model from the loaded corpus and the programme data (no hand lists). */
export function buildDomainModel(sources: DomainModelSources): DomainModel {
  const documents = deriveDocumentNames(sources.docs, sources.programmes, sources.words, sources.tagged);
  return {
    documents,
    subjectWords: (text) =>
      sources
        .tagged(text)
        .filter(({ word, tag }) => NOUN_LIKE.test(tag) && [...word].length >= 2 && sources.documentFrequency(word) > 0)
        .map(({ word }) => word),
  };
}
