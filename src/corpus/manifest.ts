import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../core/errors.js';

export const isoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

const manifestEntrySchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/i, 'document id: letters, digits and dashes'),
  file: z.string().min(1),
  title: z.string().min(1),
  issuer: z.string().optional(),
  year: z.number().int().optional(),
  document_number: z.string().optional(),
  source: z.string().optional(),
  published: z.string().optional(),
  /** the title in English, and how English-speaking staff name the document (reviewed data) */
  title_en: z.string().optional(),
  names: z.array(z.string().min(2)).optional(),
  names_en: z.array(z.string().min(2)).optional(),
  /** where the document applies: 全国 for national texts, else the province's short name (广东) */
  region: z.string().min(2).optional(),
  /** who issued it: the national office, a province or a city */
  level: z.enum(['national', 'provincial', 'city']).optional(),
  /** dates as YYYY-MM-DD: issued (signed) and in force from */
  issued: isoDateSchema.optional(),
  effective: isoDateSchema.optional(),
  /** in force until (a plan's last day), when it says */
  expires: isoDateSchema.optional(),
  /** ids of corpus documents this one repeals or replaces (a revised edition repeals the earlier one) */
  repeals: z.array(z.string()).optional(),
});

const manifestSchema = z.object({
  about: z.string().optional(),
  documents: z.array(manifestEntrySchema.passthrough()),
});

export type ManifestEntry = z.infer<typeof manifestEntrySchema>;

/**
 * Reads corpus/manifest.json when present. Documents without an entry are still
 * ingested; their title comes from the text (see titleFromText).
 * @throws AppError('corpus_invalid') when the manifest exists but does not match the schema.
 */
export async function readManifest(corpusDir: string): Promise<Map<string, ManifestEntry>> {
  const file = path.join(corpusDir, 'manifest.json');
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch {
    return new Map();
  }
  const parsed = manifestSchema.safeParse(JSON.parse(raw));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('corpus_invalid', `manifest.json: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return new Map(parsed.data.documents.map((d) => [d.id, d]));
}
