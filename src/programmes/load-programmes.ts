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

/**
 * What an English dialogue would show in Chinese for want of a reviewed rendering (`en`): the
 * programme's names, dates, applicant kinds, criteria and their options, exemptions, materials,
 * procedure and deadlines, and each form's title, cover lines, sections and fields. A programme
 * without them still works; its English dialogues fall back to the Chinese words.
 */
export function englishGaps(data: ProgrammeData): string[] {
  const gaps: string[] = [];
  const need = (where: string, en: Record<string, unknown> | undefined, keys: string[]): void => {
    for (const k of keys) if (en?.[k] === undefined) gaps.push(`${where}.en.${k}`);
  };
  for (const p of data.programmes) {
    need(p.id, p.en, ['name', 'short_name', 'goal_label', 'keywords']);
    p.dates.forEach((d) => need(`${p.id}.dates.${d.id}`, d.en, ['label', 'words']));
    for (const k of p.applicants.kinds) if (!p.applicants.en[k]) gaps.push(`${p.id}.applicants.en.${k}`);
    for (const c of p.criteria) {
      need(`${p.id}.criteria.${c.id}`, c.en, ['label', 'question', ...(c.answer.type === 'number' ? ['counted'] : [])]);
      if (c.answer.type === 'choice') c.answer.options.forEach((o) => need(`${p.id}.criteria.${c.id}.${o.value}`, o.en, ['label']));
    }
    p.exemptions.forEach((e) => need(`${p.id}.exemptions.${e.id}`, e.en, ['label']));
    if (p.exemption_rule) need(`${p.id}.exemption_rule`, p.exemption_rule.en, ['text']);
    if (p.lapse_rule) need(`${p.id}.lapse_rule`, p.lapse_rule.en, ['text']);
    p.materials.forEach((m) => need(`${p.id}.materials.${m.id}`, m.en, ['label']));
    if (p.materials_note) need(`${p.id}.materials_note`, p.materials_note.en, ['text']);
    p.procedure.forEach((s) => need(`${p.id}.procedure.${s.id}`, s.en, ['label', 'actor', 'text']));
    p.deadlines.forEach((d) => need(`${p.id}.deadlines.${d.id}`, d.en, ['label', ...(d.prepare ? ['prepare'] : [])]));
  }
  for (const f of data.forms) {
    need(f.id, f.en, ['title']);
    need(`${f.id}.edition`, f.edition.en, ['text']);
    f.cover.forEach((c) => need(`${f.id}.cover.${c.id}`, c.en, ['label', ...(c.note ? ['note'] : [])]));
    f.rules.forEach((r) => need(`${f.id}.rules.${r.id}`, r.en, ['label']));
    for (const s of f.sections) {
      need(`${f.id}.sections.${s.number}`, s.en, ['title', ...(s.guidance ? ['guidance'] : []), ...(s.filled_by_label ? ['filled_by_label'] : [])]);
      s.fields.forEach((x) => need(`${f.id}.fields.${x.id}`, x.en, ['label']));
    }
  }
  return gaps;
}
