import type { Choice } from '../core/ports.js';
import type { InstitutionProfile } from '../core/profile.js';
import type { ProgrammeCatalog } from '../programmes/catalog.js';
import { countedThing, type Criterion, type Programme } from '../programmes/schema.js';
import type { FlowDefinition, FlowStep } from './flow-engine.js';
import type { FlowState } from './flow-state.js';
import { parseChoice, parseCount, parseYesNo } from './parse-answer.js';
import { recogniseInstitution } from '../programmes/recognise-institution.js';

export const GOAL_STEP = 'goal';
export const KIND_STEP = 'kind';
const UNSURE = 'unsure';
const YES_NO: Choice[] = [
  { value: '是', label: '是' },
  { value: '否', label: '否' },
];

/** A programme asks what kind the institution is when it names several kinds or exempts some. */
const asksKind = (p: Programme): boolean => p.applicants.kinds.length > 1 || p.exemptions.length > 0;

/** The programme a kind answer belongs to: the one listing that kind or exemption (kind:<programme id> in sessions from before). */
function ownerOf(catalog: ProgrammeCatalog, value: string): Programme | undefined {
  const [type, rest = ''] = value.split(/:(.*)/s);
  if (type === 'exempt') return catalog.programmes.find((p) => p.exemptions.some((e) => e.id === rest));
  return catalog.programmes.find((p) => p.applicants.kinds.includes(rest)) ?? catalog.byId(rest);
}

/** Which programme the answers so far point to (undefined until the user has said enough). */
export function selfCheckProgramme(catalog: ProgrammeCatalog, answers: FlowState['answers']): Programme | undefined {
  const goal = answers[GOAL_STEP];
  const kind = answers[KIND_STEP];
  if (typeof goal === 'string' && goal !== UNSURE) return catalog.byId(goal);
  return typeof kind === 'string' ? ownerOf(catalog, kind) : undefined;
}

/** The exemption the chosen institution kind falls under, if any, with its programme. */
export function selfCheckExemption(catalog: ProgrammeCatalog, answers: FlowState['answers']) {
  const kind = answers[KIND_STEP];
  if (typeof kind !== 'string' || !kind.startsWith('exempt:')) return undefined;
  const programme = ownerOf(catalog, kind);
  const exemption = programme?.exemptions.find((e) => `exempt:${e.id}` === kind);
  return programme && exemption ? { ...exemption, programme } : undefined;
}

export const criterionStepId = (c: Criterion): string => `c:${c.id}`;

/**
 * The self-check as data: what the institution wants (the programmes' goal labels, or "not sure"),
 * what kind it is (the programmes' applicant kinds and exemptions), then one step per criterion of
 * the programme, each parsed from free text. Nothing here names a programme.
 */
export function createSelfCheckFlow(catalog: ProgrammeCatalog, profile: InstitutionProfile): FlowDefinition {
  const goalChoices: Choice[] = [...catalog.programmes.map((p) => ({ value: p.id, label: p.goal_label })), { value: UNSURE, label: '不确定，帮我判断' }];
  const goalStep: FlowStep = {
    id: GOAL_STEP,
    prompt: '贵机构想办理哪一项？',
    choices: goalChoices,
    skippable: false,
    parse: (input) => parseChoice(input, goalChoices),
  };
  const programmesFor = (goal: unknown): Programme[] => (goal === UNSURE ? catalog.programmes : catalog.programmes.filter((p) => p.id === goal));
  const kindChoices = (programmes: Programme[]): Choice[] => [
    ...programmes.flatMap((p) => p.applicants.kinds.map((k) => ({ value: `kind:${k}`, label: k }))),
    ...programmes.flatMap((p) => p.exemptions.map((e) => ({ value: `exempt:${e.id}`, label: `已是${e.label}` }))),
  ];
  const longest = Math.max(0, ...catalog.programmes.map((p) => p.criteria.length));
  return {
    id: 'self-check',
    unit: '步',
    // Until the programme is known, count the longest path.
    estimatedTotal: (answers) => (selfCheckProgramme(catalog, answers) || selfCheckExemption(catalog, answers) ? 0 : 2 + longest),
    steps(answers) {
      const steps: FlowStep[] = [goalStep];
      const goal = answers[GOAL_STEP];
      if (goal === undefined) return steps;
      const programmes = programmesFor(goal);
      if (goal === UNSURE || programmes.some(asksKind)) {
        const choices = kindChoices(programmes);
        steps.push({ id: KIND_STEP, prompt: '贵机构属于哪一类？', choices, skippable: false, parse: (input) => parseKind(input, choices, programmes) });
      }
      if (selfCheckExemption(catalog, answers)) return steps;
      const programme = selfCheckProgramme(catalog, answers);
      if (!programme) return steps;
      return [...steps, ...programme.criteria.map((c) => criterionStep(c, profile))];
    },
  };
}

/** An option number or label, or the institution named in everyday words (XX大学图书馆 → 高校). */
function parseKind(input: string, choices: Choice[], programmes: Programme[]): ReturnType<typeof parseChoice> {
  const byNumberOrLabel = parseChoice(input, choices);
  if (byNumberOrLabel.ok && (/^\s*\d+\s*$/.test(input) || choices.some((c) => c.label === input.trim()))) return byNumberOrLabel;
  for (const p of programmes) {
    const named = recogniseInstitution(input, p);
    const value = named ? ('kind' in named ? `kind:${named.kind}` : `exempt:${named.exemption}`) : undefined;
    if (value && choices.some((c) => c.value === value)) return { ok: true, value };
  }
  return byNumberOrLabel;
}

function criterionStep(c: Criterion, profile: InstitutionProfile): FlowStep {
  const base = { id: criterionStepId(c), prompt: c.question, skippable: c.skippable, hint: `依据：${c.source.article}` };
  switch (c.answer.type) {
    case 'boolean':
      return { ...base, choices: YES_NO, parse: (input) => parseYesNo(input) };
    case 'number': {
      const unit = c.answer.unit;
      const subject = countSubject(c.label);
      const known = c.profile_field ? profile.counts[c.profile_field] : undefined;
      return {
        ...base,
        hint: `要求：${c.answer.min} ${c.answer.unit}及以上（${c.source.article}）`,
        ...(known === undefined ? {} : { defaultValue: known }),
        parse: (input) => parseCount(input, undefined, subject),
        echo: (value, input) => (/^\s*\d+\s*$/.test(input) ? undefined : `记下了：${subject}人员 ${String(value)} ${unit}`),
      };
    }
    case 'choice': {
      const choices = c.answer.options.map((o) => ({ value: o.value, label: o.label }));
      return { ...base, choices, parse: (input) => parseChoice(input, choices) };
    }
  }
}

/**
 * The kind of staff a count criterion is about, from its label: "专职人员 5 名及以上" → 专职,
 * "若干兼职人员" → 兼职, "2 名及以上专兼职人员" → 专兼职. Used to read the right number out of
 * a sentence that counts several kinds.
 */
function countSubject(label: string): string {
  return countedThing(label).replace(/(人员|人)$/, '');
}

/** Criterion answers (by criterion id) from the flow's step answers; 是/否 become booleans. */
export function criterionAnswers(programme: Programme, answers: FlowState['answers']): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const c of programme.criteria) {
    const v = answers[criterionStepId(c)];
    if (v === undefined) continue;
    out[c.id] = v;
  }
  return out;
}
