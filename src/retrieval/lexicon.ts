import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AppError } from '../core/errors.js';

const termMapSchema = z.record(z.string(), z.array(z.union([z.string(), z.number()]).transform(String)).default([]));

export interface Lexicon {
  /** jieba dictionary lines: `word freq tag` */
  domainWords: string;
  /** colloquial key → corpus terms added to the search */
  synonyms: Map<string, string[]>;
  /** English phrase (lower case) → Chinese terms: english.yaml (curated) over english-derived.yaml */
  english: Map<string, string[]>;
}

/**
 * Reads corpus/lexicon/: domain-words.txt (jieba dictionary), synonyms.yaml, english.yaml and
 * english-derived.yaml (from CC-CEDICT by scripts/derive-english-glossary.ts; the curated file wins).
 * Missing files give empty maps, so a corpus without a lexicon still works.
 * @throws AppError('corpus_invalid') when a YAML file does not match the schema.
 */
export async function loadLexicon(corpusDir: string): Promise<Lexicon> {
  const dir = path.join(corpusDir, 'lexicon');
  const domainWords = await readOptional(path.join(dir, 'domain-words.txt'));
  return {
    domainWords,
    synonyms: await readTermMap(path.join(dir, 'synonyms.yaml')),
    english: new Map([...(await readTermMap(path.join(dir, 'english-derived.yaml'))), ...(await readTermMap(path.join(dir, 'english.yaml')))]),
  };
}

async function readOptional(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return '';
  }
}

async function readTermMap(file: string): Promise<Map<string, string[]>> {
  const raw = await readOptional(file);
  if (!raw.trim()) return new Map();
  const parsed = termMapSchema.safeParse(parseYaml(raw));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('corpus_invalid', `${path.basename(file)}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return new Map(Object.entries(parsed.data).map(([k, v]) => [k.toLowerCase(), v]));
}
