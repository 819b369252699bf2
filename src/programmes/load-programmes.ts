import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ZodType, ZodTypeDef } from 'zod';
import { AppError } from '../core/errors.js';
import { quoteIsAt } from '../corpus/resolve-locator.js';
import type { PolicyDocument } from '../corpus/types.js';
import { formSchema, programmeSchema, summariesSchema, targetsSchema, type EnglishSummaries, type FormSchema, type Programme, type Source, type TargetFacts } from './schema.js';

export interface ProgrammeData {
  programmes: Programme[];
  forms: FormSchema[];
  targets: TargetFacts[];
  /** English summaries of clauses (reviewed data), for English answers */
  summaries: EnglishSummaries['summaries'];
}

/**
 * Loads corpus/programmes/*.yaml (a programme, a file of dated facts, or English summaries) and
 * corpus/programmes/forms/*.yaml, each validated by its zod schema.
 * @throws AppError('corpus_invalid') naming the file and the first bad key.
 */
export async function loadProgrammes(corpusDir: string): Promise<ProgrammeData> {
  const dir = path.join(corpusDir, 'programmes');
  const data: ProgrammeData = { programmes: [], forms: [], targets: [], summaries: [] };
  for (const file of await yamlFiles(dir)) {
    const raw = await readYaml(path.join(dir, file));
    if (raw && typeof raw === 'object' && 'facts' in raw) data.targets.push(validate(file, raw, targetsSchema));
    else if (raw && typeof raw === 'object' && 'summaries' in raw) data.summaries.push(...validate(file, raw, summariesSchema).summaries);
    else data.programmes.push(validate(file, raw, programmeSchema));
  }
  for (const file of await yamlFiles(path.join(dir, 'forms'))) {
    data.forms.push(validate(file, await readYaml(path.join(dir, 'forms', file)), formSchema));
  }
  for (const p of data.programmes) {
    if (!data.forms.some((f) => f.id === p.form)) throw new AppError('corpus_invalid', `programme ${p.id}: form ${p.form} not found in programmes/forms/`);
  }
  // One order everywhere the programmes are listed (the self-check's goals, /register's forms, /remind).
  data.programmes.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  return data;
}

async function yamlFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
  } catch {
    return [];
  }
}

async function readYaml(file: string): Promise<unknown> {
  return parseYaml(await readFile(file, 'utf8'));
}

function validate<T>(file: string, raw: unknown, schema: ZodType<T, ZodTypeDef, unknown>): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('corpus_invalid', `programmes/${file}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}

/** Every {doc, article, quote} anywhere in the data, with a path saying where it sits. */
export function allSources(data: ProgrammeData): Array<{ where: string; source: Source }> {
  const out: Array<{ where: string; source: Source }> = [];
  const walk = (value: unknown, where: string): void => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${where}[${i}]`));
    else if (value && typeof value === 'object') {
      const o = value as Record<string, unknown>;
      if (typeof o['doc'] === 'string' && typeof o['article'] === 'string' && typeof o['quote'] === 'string') {
        out.push({ where, source: { doc: o['doc'], article: o['article'], quote: o['quote'] } });
        return;
      }
      for (const [k, v] of Object.entries(o)) walk(v, `${where}.${k}`);
    }
  };
  data.programmes.forEach((p) => walk(p, p.id));
  data.forms.forEach((f) => walk(f, f.id));
  data.targets.forEach((t) => walk(t, t.id));
  data.summaries.forEach((s, i) => walk(s, `summaries-en[${i}]`));
  return out;
}

/** Sources whose quote is not found at the cited article: empty when the data is sound. */
export function unverifiedSources(data: ProgrammeData, docs: PolicyDocument[]): Array<{ where: string; source: Source }> {
  return allSources(data).filter(({ source }) => !quoteIsAt(docs, source.doc, source.article, source.quote));
}
