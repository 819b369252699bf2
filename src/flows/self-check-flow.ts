import type { Choice } from '../core/ports.js';
import type { InstitutionProfile } from '../core/profile.js';
import type { ProgrammeCatalog } from '../programmes/catalog.js';
import type { Criterion, Programme } from '../programmes/schema.js';
import type { FlowDefinition, FlowStep } from './flow-engine.js';
import type { FlowState } from './flow-state.js';
import { parseChoice, parseCount, parseYesNo } from './parse-answer.js';
import { recogniseInstitution } from '../programmes/recognise-institution.js';

export const GOAL_STEP = 'goal';
export const KIND_STEP = 'kind';
const CITY_KIND = 'kind:city-center';
const YES_NO: Choice[] = [
  { value: '是', label: '是' },
  { value: '否', label: '否' },
];

/** Which programme the answers so far point to (undefined until the user has said enough). */
export function selfCheckProgramme(catalog: ProgrammeCatalog, answers: FlowState['answers']): Programme | undefined {
  const goal = answers[GOAL_STEP];
  const kind = answers[KIND_STEP];
  if (goal === 'city-center' || kind === CITY_KIND) return catalog.byId('city-center');
  if (goal === 'outlet-filing' || (goal === 'unsure' && typeof kind === 'string')) return catalog.byId('outlet-filing');
  return undefined;
}

/** The exemption (第十九条) the chosen institution kind falls under, if any. */
export function selfCheckExemption(catalog: ProgrammeCatalog, answers: FlowState['answers']) {
  const kind = answers[KIND_STEP];
  if (typeof kind !== 'string' || !kind.startsWith('exempt:')) return undefined;
  return catalog.byId('outlet-filing')?.exemptions.find((e) => `exempt:${e.id}` === kind);
}

export const criterionStepId = (c: Criterion): string => `c:${c.id}`;

/**
 * The self-check as data: what the institution wants, what kind it is (recognising the exempt
 * kinds of 第十九条), then one step per criterion of the programme, each parsed from free text.
 */
export function createSelfCheckFlow(catalog: ProgrammeCatalog, profile: InstitutionProfile): FlowDefinition {
  const outlet = catalog.byId('outlet-filing');
  const goalStep: FlowStep = {
    id: GOAL_STEP,
    prompt: '贵机构想办理哪一项？',
    choices: [
      { value: 'outlet-filing', label: '备案国家知识产权信息公共服务网点' },
      { value: 'city-center', label: '登记地市级综合性知识产权公共服务机构' },
      { value: 'unsure', label: '不确定，帮我判断' },
    ],
    skippable: false,
    parse(input) {
      return parseChoice(input, this.choices ?? []);
    },
  };
  const kindChoices = (goal: unknown): Choice[] => [
    ...(outlet?.applicants.kinds ?? []).map((k) => ({ value: `kind:${k}`, label: k })),
    ...(goal === 'unsure' ? [{ value: CITY_KIND, label: '地市级知识产权管理部门组建的综合性服务中心' }] : []),
    ...(outlet?.exemptions ?? []).map((e) => ({ value: `exempt:${e.id}`, label: `已是${e.label}` })),
  ];
  return {
    id: 'self-check',
    unit: '步',
    // Until the programme is known, count the longer path (the outlet filing).
    estimatedTotal: (answers) => (selfCheckProgramme(catalog, answers) || selfCheckExemption(catalog, answers) ? 0 : 2 + (outlet?.criteria.length ?? 0)),
    steps(answers) {
      const steps: FlowStep[] = [goalStep];
      if (answers[GOAL_STEP] === undefined) return steps;
      if (answers[GOAL_STEP] !== 'city-center') {
        const choices = kindChoices(answers[GOAL_STEP]);
        steps.push({ id: KIND_STEP, prompt: '贵机构属于哪一类？', choices, skippable: false, parse: (input) => parseKind(input, choices, outlet) });
      }
      if (selfCheckExemption(catalog, answers)) return steps;
      const programme = selfCheckProgramme(catalog, answers);
      if (!programme) return steps;
      return [...steps, ...programme.criteria.map((c) => criterionStep(c, profile))];
    },
  };
}

/** An option number or label, or the institution named in everyday words (XX大学图书馆 → 高校). */
function parseKind(input: string, choices: Choice[], outlet: Programme | undefined): ReturnType<typeof parseChoice> {
  const byNumberOrLabel = parseChoice(input, choices);
  if (byNumberOrLabel.ok && (/^\s*\d+\s*$/.test(input) || choices.some((c) => c.label === input.trim()))) return byNumberOrLabel;
  const named = outlet ? recogniseInstitution(input, outlet) : undefined;
  const value = named ? ('kind' in named ? `kind:${named.kind}` : `exempt:${named.exemption}`) : undefined;
  return value && choices.some((c) => c.value === value) ? { ok: true, value } : byNumberOrLabel;
}

function criterionStep(c: Criterion, profile: InstitutionProfile): FlowStep {
  const base = { id: criterionStepId(c), prompt: c.question, skippable: c.skippable, hint: `依据：${c.source.article}` };
  switch (c.answer.type) {
    case 'boolean':
      return { ...base, choices: YES_NO, parse: (input) => parseYesNo(input) };
    case 'number': {
      const unit = c.answer.unit;
      const subject = countSubject(c.label);
      const known = c.profile_field === 'fullTimeStaff' ? profile.fullTimeStaff : c.profile_field === 'partTimeStaff' ? profile.partTimeStaff : undefined;
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
  return label.replace(/\d+|名及以上|及以上|以上|若干|\s/g, '').replace(/(人员|人)$/, '');
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
