import { fill } from '../answer/messages.js';
import { localised, type Lang } from '../core/lang.js';
import type { InstitutionProfile } from '../core/profile.js';
import type { ProgrammeCatalog } from '../programmes/catalog.js';
import type { FormField, FormSchema, Programme } from '../programmes/schema.js';
import { renderMaterials } from '../programmes/render-checklists.js';
import type { FlowDefinition, FlowStep } from './flow-engine.js';
import type { AnswerValue, FlowState } from './flow-state.js';
import { charCount } from '../core/text.js';
import { partNumber } from '../drafts/draft-values.js';
import type { DialogueText } from './dialogue-text.js';
import { parseField } from './form-field-parsers.js';
import { parseChoice, type Parsed } from './parse-answer.js';

export const FORM_STEP = 'form';
export const fieldStepId = (id: string): string => `f:${id}`;
export const coverStepId = (id: string): string => `cover:${id}`;

/** The programme whose form is being filled: chosen in the first step or known from the self-check. */
export function registerProgramme(catalog: ProgrammeCatalog, answers: FlowState['answers']): Programme | undefined {
  const id = answers[FORM_STEP];
  return typeof id === 'string' ? catalog.byId(id) : undefined;
}

/** Field values by field id (and cover values by cover id) from the flow's answers. */
export function formValues(answers: FlowState['answers']): { values: Record<string, AnswerValue>; cover: Record<string, string> } {
  const values: Record<string, AnswerValue> = {};
  const cover: Record<string, string> = {};
  for (const [k, v] of Object.entries(answers)) {
    if (k.startsWith('f:')) values[k.slice(2)] = v;
    else if (k.startsWith('cover:') && typeof v === 'string') cover[k.slice(6)] = v;
  }
  return { values, cover };
}

/**
 * The registration checklist as data: which form, the cover lines the institution fills, then
 * every field of the sections the institution fills, in the order of the official form. Each
 * answer is validated by type; counts are checked against each other (专职 ≤ 总人数) and against
 * the programme's minimum (a warning citing the clause, never a dead end); long sections show
 * the length guidance and warn when far too short or too long.
 */
export function createRegisterFlow(catalog: ProgrammeCatalog, profile: InstitutionProfile, lang: Lang, t: DialogueText): FlowDefinition {
  const formStep: FlowStep = {
    id: FORM_STEP,
    prompt: t.form_prompt,
    choices: catalog.programmes.map((p) => ({ value: p.id, label: fill(t.form_choice, { title: localised(catalog.formFor(p), lang).title, name: localised(p, lang).short_name }) })),
    skippable: false,
    parse(input) {
      return parseChoice(input, this.choices ?? [], t);
    },
    warn(value) {
      const p = catalog.byId(String(value));
      return p ? `${renderMaterials(catalog, p, lang, t).text}\n\n${t.form_then}` : undefined;
    },
  };
  const ctx: Context = { lang, t };
  return {
    id: 'register',
    progress: 'progress_form',
    text: t,
    estimatedTotal: (answers) => (registerProgramme(catalog, answers) ? 0 : Math.max(...catalog.programmes.map((p) => 1 + countSteps(catalog.formFor(p))))),
    steps(answers) {
      const programme = registerProgramme(catalog, answers);
      if (!programme) return [formStep];
      const form = catalog.formFor(programme);
      return [formStep, ...coverSteps(form, profile, ctx), ...form.sections.filter((s) => s.filled_by === 'institution').flatMap((s) => s.fields.map((f) => fieldStep(programme, form, s, f, answers, profile, ctx)))];
    },
  };
}

/** The dialogue's language and its templates. */
interface Context {
  lang: Lang;
  t: DialogueText;
}

function coverSteps(form: FormSchema, profile: InstitutionProfile, { lang, t }: Context): FlowStep[] {
  return form.cover
    .filter((c) => c.filled_by === 'institution' && !c.value)
    .map((c) => {
      const known = profile.form[coverStepId(c.id)];
      const words = localised(c, lang);
      return {
        id: coverStepId(c.id),
        prompt: fill(t.form_cover_prompt, { label: words.label }) + (words.note ? fill(t.form_cover_note, { note: words.note }) : ''),
        ...(c.source ? { hint: fill(t.check_basis, { article: c.source.article }) } : {}),
        skippable: false,
        ...(typeof known === 'string' ? { defaultValue: known } : {}),
        parse: (input: string) => parseField({ id: c.id, label: c.label, type: 'text', required: true }, input, t, words.label),
        echo: (value: AnswerValue, input: string) => (typeof value === 'string' && value !== input.trim() ? fill(t.recorded, { label: words.label, value }) : undefined),
      };
    });
}

type Section = FormSchema['sections'][number];

function fieldStep(programme: Programme, form: FormSchema, section: Section, field: FormField, answers: FlowState['answers'], profile: InstitutionProfile, ctx: Context): FlowStep {
  const { lang, t } = ctx;
  // The profile's value, else the count the self-check recorded, else the field it defaults from (名称 ← 封面).
  const known = profile.form[field.id] ?? (field.profile ? profile.counts[field.profile] : undefined) ?? (field.default_from ? answers[field.default_from] : undefined);
  const label = localised(field, lang).label;
  const step: FlowStep = {
    id: fieldStepId(field.id),
    prompt: fill(t.form_field_prompt, { number: partNumber(section.number, lang), section: localised(section, lang).title, label }) + (field.required ? '' : t.form_optional),
    skippable: !field.required,
    multiPart: field.type === 'longtext',
    ...(known === undefined || known === null ? {} : { defaultValue: known }),
    parse: (input) => checkCounts(form, field, parseField(field, input, t, label), answers, ctx),
    // A value read out of a sentence is said back, so a misreading is seen (and 返回 fixes it).
    echo: (value, input) => (field.type !== 'longtext' && value !== null && String(value) !== input.trim() ? fill(t.recorded, { label, value: String(value) }) : undefined),
  };
  const hint = hintFor(section, field, answers, ctx);
  if (hint) step.hint = hint;
  if (field.type === 'longtext') step.warn = (value, all) => lengthWarning(section, label, String(value ?? ''), all, t);
  if (field.criterion) step.warn = (value) => minimumWarning(programme, field.criterion ?? '', value, ctx);
  return step;
}

function hintFor(section: Section, field: FormField, answers: FlowState['answers'], { lang, t }: Context): string | undefined {
  const parts: string[] = [];
  if (field.type === 'longtext' && section.length) {
    const chars = section.length.chars;
    const rule = fill(section.length.per === 'person' ? t.form_length_per_person : section.length.per === 'case' ? t.form_length_per_case : t.form_length_plain, { chars });
    parts.push(fill(t.form_length_hint, { expected: expectedLength(section, answers), rule }));
  }
  const guidance = localised(section, lang).guidance;
  if (guidance && field.type === 'longtext') parts.push(fill(t.form_content_hint, { guidance }));
  const format = { phone: t.form_phone_hint, email: t.form_email_hint, date: t.form_date_hint, count: t.form_count_hint }[field.type as string];
  if (format) parts.push(format);
  return parts.length > 0 ? parts.join('\n') : undefined;
}

/** Expected length: per person (主要负责人 + 专职人员) or per case, else the section's figure. */
function expectedLength(section: Section, answers: FlowState['answers']): number {
  const length = section.length;
  if (!length) return 0;
  if (length.per === 'person' && length.people) {
    const people = answers[fieldStepId(length.people.field)];
    return length.chars * (typeof people === 'number' && people > 0 ? people + length.people.plus : 1);
  }
  return length.chars;
}

function lengthWarning(section: Section, label: string, text: string, answers: FlowState['answers'], t: DialogueText): string | undefined {
  const expected = expectedLength(section, answers);
  if (!expected) return undefined;
  const n = charCount(text);
  const template = n < expected * 0.5 ? t.form_too_short : n > expected * 2 ? t.form_too_long : t.form_length_ok;
  return fill(template, { label, n, expected });
}

/** A value below the minimum of the criterion the field is checked against: a warning, the draft goes on. */
function minimumWarning(programme: Programme, criterionId: string, value: AnswerValue, { lang, t }: Context): string | undefined {
  const criterion = programme.criteria.find((c) => c.id === criterionId);
  if (!criterion || criterion.answer.type !== 'number' || typeof value !== 'number') return undefined;
  if (value >= criterion.answer.min) return undefined;
  return fill(t.form_below_minimum, { name: localised(programme, lang).short_name, quote: criterion.source.quote, article: criterion.source.article, value });
}

/**
 * Counts that add up (the form's `totals`: 专职 + 兼职 ≤ 总人数): a total is at least 1, a part no
 * more than the total, the parts together no more than it; refused with the reason.
 */
function checkCounts(form: FormSchema, field: FormField, parsed: Parsed<AnswerValue>, answers: FlowState['answers'], { lang, t }: Context): Parsed<AnswerValue> {
  if (!parsed.ok || typeof parsed.value !== 'number') return parsed;
  const n = parsed.value;
  const labelOf = (id: string): string => {
    const f = form.sections.flatMap((s) => s.fields).find((x) => x.id === id);
    return f ? localised(f, lang).label : id;
  };
  const valueOf = (id: string): number | undefined => {
    const v = answers[fieldStepId(id)];
    return typeof v === 'number' ? v : undefined;
  };
  for (const rel of form.totals) {
    if (field.id === rel.total && n < 1) return { ok: false, error: fill(t.form_total_min, { label: labelOf(rel.total) }) };
    if (!rel.parts.includes(field.id)) continue;
    const total = valueOf(rel.total);
    if (total === undefined) continue;
    if (n > total) return { ok: false, error: fill(t.form_part_over_total, { part: labelOf(field.id), n, total: labelOf(rel.total), totalValue: total }) };
    const others = rel.parts.filter((p) => p !== field.id).map((p) => ({ p, v: valueOf(p) })).filter((x): x is { p: string; v: number } => x.v !== undefined);
    const sum = n + others.reduce((a, x) => a + x.v, 0);
    if (others.length > 0 && sum > total) {
      const paren = (v: number): string => (lang === 'en' ? ` (${v})` : `（${v}）`);
      const said = [...others.map((x) => `${labelOf(x.p)}${paren(x.v)}`), `${labelOf(field.id)}${paren(n)}`].join(' + ');
      return { ok: false, error: fill(t.form_parts_over_total, { said, sum, total: labelOf(rel.total), totalValue: total }) };
    }
  }
  return parsed;
}

function countSteps(form: FormSchema): number {
  const cover = form.cover.filter((c) => c.filled_by === 'institution' && !c.value).length;
  return cover + form.sections.filter((s) => s.filled_by === 'institution').reduce((n, s) => n + s.fields.length, 0);
}
