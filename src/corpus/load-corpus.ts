import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../core/logger.js';
import { cleanText } from './clean-text.js';
import { isSupportedDocument, loadDocumentText } from './load-document.js';
import { isoDateSchema, readManifest } from './manifest.js';
import { parseStructure } from './parse-structure.js';
import type { PolicyDocument } from './types.js';

/**
 * Loads every supported document in corpusDir (txt, md, html, docx, pdf), cleans it and
 * parses its structure. The document id is the file name without extension.
 * Adding a document needs no code change: drop the file in, optionally add a manifest entry.
 */
export async function loadCorpus(corpusDir: string, logger?: Logger): Promise<PolicyDocument[]> {
  const manifest = await readManifest(corpusDir);
  const files = (await readdir(corpusDir)).filter(isSupportedDocument).sort();
  const docs: PolicyDocument[] = [];
  for (const file of files) {
    const id = path.basename(file, path.extname(file));
    const entry = manifest.get(id);
    const { title, text, units } = await readDocument(path.join(corpusDir, file), id, entry?.title);
    docs.push({
      id,
      title,
      text,
      units,
      meta: {
        id,
        title,
        issuer: entry?.issuer,
        year: entry?.year,
        documentNumber: entry?.document_number,
        source: entry?.source,
        titleEn: entry?.title_en,
        namesEn: entry?.names_en ?? [],
        names: entry?.names ?? [],
        region: entry?.region,
        level: entry?.level,
        effective: entry?.effective ?? entry?.issued ?? (isoDateSchema.safeParse(entry?.published).success ? entry?.published : undefined),
        expires: entry?.expires,
        repeals: entry?.repeals ?? [],
      },
    });
    logger?.debug('document loaded', { id, units: units.length });
  }
  // A repeal naming no document of the corpus repeals nothing: say so (a typo would keep the old text in force).
  const ids = new Set(docs.map((d) => d.id));
  for (const d of docs) for (const r of d.meta.repeals ?? []) if (!ids.has(r)) logger?.warn('manifest: a document repeals one the corpus does not have', { id: d.id, repeals: r });
  return docs;
}

/** One file as the corpus reads it: cleaned text, title (the manifest's, else its first title-like line), structure. */
export async function readDocument(file: string, id: string, manifestTitle?: string): Promise<Pick<PolicyDocument, 'title' | 'text' | 'units'>> {
  const text = cleanText(await loadDocumentText(file));
  const title = manifestTitle ?? titleFromText(text, id);
  return { title, text, units: parseStructure({ id, title }, text) };
}

/** The first line that looks like a title (not a heading, not too long), else the id. */
export function titleFromText(text: string, fallback: string): string {
  const first = text.split('\n').find((l) => l.trim().length >= 4);
  if (first && first.length <= 60 && !/^第.+条/.test(first)) return first.replace(/\s+/g, '');
  return fallback;
}
