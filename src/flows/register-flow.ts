import type { InstitutionProfile } from '../core/profile.js';
import type { ProgrammeCatalog } from '../programmes/catalog.js';
import type { FormField, FormSchema, Programme } from '../programmes/schema.js';
import { renderMaterials } from '../programmes/render-checklists.js';
import type { FlowDefinition, FlowStep } from './flow-engine.js';
import type { AnswerValue, FlowState } from './flow-state.js';
import { charCount } from '../core/text.js';
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
export function createRegisterFlow(catalog: ProgrammeCatalog, profile: InstitutionProfile): FlowDefinition {
  const formStep: FlowStep = {
    id: FORM_STEP,
    prompt: '要填写哪张表？',
    choices: catalog.programmes.map((p) => ({ value: p.id, label: `${catalog.formFor(p).title}（${p.short_name}）` })),
    skippable: false,
    parse(input) {
      return parseChoice(input, this.choices ?? []);
    },
    warn(value) {
      const p = catalog.byId(String(value));
      return p ? `${renderMaterials(catalog, p).text}\n\n下面按表格顺序逐项填写。` : undefined;
    },
  };
  return {
    id: 'register',
    unit: '项',
    estimatedTotal: (answers) => (registerProgramme(catalog, answers) ? 0 : Math.max(...catalog.programmes.map((p) => 1 + countSteps(catalog.formFor(p))))),
    steps(answers) {
      const programme = registerProgramme(catalog, answers);
      if (!programme) return [formStep];
      const form = catalog.formFor(programme);
      return [formStep, ...coverSteps(form, profile), ...form.sections.filter((s) => s.filled_by === 'institution').flatMap((s) => s.fields.map((f) => fieldStep(programme, form, s, f, answers, profile)))];
    },
  };
}

function coverSteps(form: FormSchema, profile: InstitutionProfile): FlowStep[] {
  return form.cover
    .filter((c) => c.filled_by === 'institution' && !c.value)
    .map((c) => {
      const known = profile.form[coverStepId(c.id)];
      return {
        id: coverStepId(c.id),
        prompt: `封面“${c.label}”${c.note ? `：${c.note}` : ''}`,
        ...(c.source ? { hint: `依据：${c.source.article}` } : {}),
        skippable: false,
        ...(typeof known === 'string' ? { defaultValue: known } : {}),
        parse: (input: string) => parseField({ id: c.id, label: c.label, type: 'text', required: true }, input),
        echo: (value: AnswerValue, input: string) => (typeof value === 'string' && value !== input.trim() ? `记下了：${c.label} ${value}` : undefined),
      };
    });
}

type Section = FormSchema['sections'][number];

function fieldStep(programme: Programme, form: FormSchema, section: Section, field: FormField, answers: FlowState['answers'], profile: InstitutionProfile): FlowStep {
  // The profile's value, else the count the self-check recorded, else the field it defaults from (名称 ← 封面).
  const known = profile.form[field.id] ?? (field.profile ? profile.counts[field.profile] : undefined) ?? (field.default_from ? answers[field.default_from] : undefined);
  const step: FlowStep = {
    id: fieldStepId(field.id),
    prompt: `【${section.number}、${section.title}】${field.label}${field.required ? '' : '（选填）'}`,
    skippable: !field.required,
    multiPart: field.type === 'longtext',
    ...(known === undefined || known === null ? {} : { defaultValue: known }),
    parse: (input) => checkCounts(form, field, parseField(field, input), answers),
    // A value read out of a sentence is said back, so a misreading is seen (and 返回 fixes it).
    echo: (value, input) => (field.type !== 'longtext' && value !== null && String(value) !== input.trim() ? `记下了：${field.label} ${String(value)}` : undefined),
  };
  const hint = hintFor(section, field, answers);
  if (hint) step.hint = hint;
  if (field.type === 'longtext') step.warn = (value, all) => lengthWarning(section, field, String(value ?? ''), all);
  if (field.criterion) step.warn = (value) => minimumWarning(programme, field.criterion ?? '', value);
  return step;
}

function hintFor(section: Section, field: FormField, answers: FlowState['answers']): string | undefined {
  const parts: string[] = [];
  if (field.type === 'longtext' && section.length) {
    const expected = expectedLength(section, field, answers);
    parts.push(`篇幅：约 ${expected} 字（${section.length.per === 'person' ? `每人${section.length.chars}字左右` : section.length.per === 'case' ? `每个${section.length.chars}字左右` : `${section.length.chars}字左右`}）；可分几条发送，第二条起以“继续 ”开头追加。`);
  }
  if (section.guidance && field.type === 'longtext') parts.push(`内容：${section.guidance}`);
  if (field.type === 'phone') parts.push('格式：手机 11 位，或座机带区号，如 020-12345678');
  if (field.type === 'email') parts.push('格式：如 ipservice@example.edu.cn');
  if (field.type === 'date') parts.push('格式：如 2023-05 或 2023年3月—2023年6月');
  if (field.type === 'count') parts.push('填整数');
  return parts.length > 0 ? parts.join('\n') : undefined;
}

/** Expected length: per person (主要负责人 + 专职人员) or per case, else the section's figure. */
function expectedLength(section: Section, field: FormField, answers: FlowState['answers']): number {
  const length = section.length;
  if (!length) return 0;
  if (length.per === 'person' && length.people) {
    const people = answers[fieldStepId(length.people.field)];
    return length.chars * (typeof people === 'number' && people > 0 ? people + length.people.plus : 1);
  }
  return length.chars;
}

function lengthWarning(section: Section, field: FormField, text: string, answers: FlowState['answers']): string | undefined {
  const expected = expectedLength(section, field, answers);
  if (!expected) return undefined;
  const n = charCount(text);
  if (n < expected * 0.5) return `提醒：“${field.label}”现在 ${n} 字，表格要求约 ${expected} 字，明显偏短；可以稍后用“修改 ${field.label}”补充，或发送“继续 …”接着写。`;
  if (n > expected * 2) return `提醒：“${field.label}”现在 ${n} 字，表格要求约 ${expected} 字，明显偏长；如确需增加内容可对表格自行扩展（填表说明）。`;
  return `已记录“${field.label}”，共 ${n} 字（要求约 ${expected} 字）。`;
}

/** A value below the minimum of the criterion the field is checked against: a warning, the draft goes on. */
function minimumWarning(programme: Programme, criterionId: string, value: AnswerValue): string | undefined {
  const criterion = programme.criteria.find((c) => c.id === criterionId);
  if (!criterion || criterion.answer.type !== 'number' || typeof value !== 'number') return undefined;
  if (value >= criterion.answer.min) return undefined;
  return `提醒：${programme.short_name}要求“${criterion.source.quote}”（${criterion.source.article}），目前填写 ${value} 名，尚不满足。草稿仍可继续填写。`;
}

/**
 * Counts that add up (the form's `totals`: 专职 + 兼职 ≤ 总人数): a total is at least 1, a part no
 * more than the total, the parts together no more than it; refused with the reason.
 */
function checkCounts(form: FormSchema, field: FormField, parsed: Parsed<AnswerValue>, answers: FlowState['answers']): Parsed<AnswerValue> {
  if (!parsed.ok || typeof parsed.value !== 'number') return parsed;
  const n = parsed.value;
  const labelOf = (id: string): string => form.sections.flatMap((s) => s.fields).find((f) => f.id === id)?.label ?? id;
  const valueOf = (id: string): number | undefined => {
    const v = answers[fieldStepId(id)];
    return typeof v === 'number' ? v : undefined;
  };
  for (const rel of form.totals) {
    if (field.id === rel.total && n < 1) return { ok: false, error: `${labelOf(rel.total)}至少为 1。` };
    if (!rel.parts.includes(field.id)) continue;
    const total = valueOf(rel.total);
    if (total === undefined) continue;
    if (n > total) return { ok: false, error: `${labelOf(field.id)}（${n}）不能大于${labelOf(rel.total)}（${total}）。请重新填写，或回复“返回”修改${labelOf(rel.total)}。` };
    const others = rel.parts.filter((p) => p !== field.id).map((p) => ({ p, v: valueOf(p) })).filter((x): x is { p: string; v: number } => x.v !== undefined);
    const sum = n + others.reduce((a, x) => a + x.v, 0);
    if (others.length > 0 && sum > total) {
      const said = [...others.map((x) => `${labelOf(x.p)}（${x.v}）`), `${labelOf(field.id)}（${n}）`].join(' + ');
      return { ok: false, error: `${said} = ${sum}，超过${labelOf(rel.total)}（${total}）。请核对后重新填写。` };
    }
  }
  return parsed;
}

function countSteps(form: FormSchema): number {
  const cover = form.cover.filter((c) => c.filled_by === 'institution' && !c.value).length;
  return cover + form.sections.filter((s) => s.filled_by === 'institution').reduce((n, s) => n + s.fields.length, 0);
}
