import { fill } from '../answer/messages.js';
import { localised, type Lang } from '../core/lang.js';
import type { Choice } from '../core/ports.js';
import type { InstitutionProfile } from '../core/profile.js';
import type { ProgrammeCatalog } from '../programmes/catalog.js';
import { countedThing, type Criterion, type Programme } from '../programmes/schema.js';
import type { DialogueText } from './dialogue-text.js';
import type { FlowDefinition, FlowStep } from './flow-engine.js';
import type { FlowState } from './flow-state.js';
import { parseChoice, parseCount, parseYesNo } from './parse-answer.js';
import { recogniseInstitution } from '../programmes/recognise-institution.js';

export const GOAL_STEP = 'goal';
export const KIND_STEP = 'kind';
const UNSURE = 'unsure';
/** 是/否 are the values whatever the language: the numbers and the words of both read them. */
const yesNo = (t: DialogueText): Choice[] => [
  { value: '是', label: t.answer_yes },
  { value: '否', label: t.answer_no },
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
export function createSelfCheckFlow(catalog: ProgrammeCatalog, profile: InstitutionProfile, lang: Lang, t: DialogueText): FlowDefinition {
  const goalChoices: Choice[] = [...catalog.programmes.map((p) => ({ value: p.id, label: localised(p, lang).goal_label })), { value: UNSURE, label: t.check_goal_unsure }];
  const goalStep: FlowStep = {
    id: GOAL_STEP,
    prompt: t.check_goal_prompt,
    choices: goalChoices,
    skippable: false,
    parse: (input) => parseChoice(input, goalChoices, t),
  };
  const programmesFor = (goal: unknown): Programme[] => (goal === UNSURE ? catalog.programmes : catalog.programmes.filter((p) => p.id === goal));
  const kindChoices = (programmes: Programme[]): Choice[] => [
    ...programmes.flatMap((p) => p.applicants.kinds.map((k) => ({ value: `kind:${k}`, label: lang === 'en' ? (p.applicants.en[k] ?? k) : k }))),
    ...programmes.flatMap((p) => p.exemptions.map((e) => ({ value: `exempt:${e.id}`, label: fill(t.check_kind_exempt, { label: localised(e, lang).label }) }))),
  ];
  const longest = Math.max(0, ...catalog.programmes.map((p) => p.criteria.length));
  return {
    id: 'self-check',
    progress: 'progress_check',
    text: t,
    // Until the programme is known, count the longest path.
    estimatedTotal: (answers) => (selfCheckProgramme(catalog, answers) || selfCheckExemption(catalog, answers) ? 0 : 2 + longest),
    steps(answers) {
      const steps: FlowStep[] = [goalStep];
      const goal = answers[GOAL_STEP];
      if (goal === undefined) return steps;
      const programmes = programmesFor(goal);
      if (goal === UNSURE || programmes.some(asksKind)) {
        const choices = kindChoices(programmes);
        steps.push({ id: KIND_STEP, prompt: t.check_kind_prompt, choices, skippable: false, parse: (input) => parseKind(input, choices, programmes, t) });
      }
      if (selfCheckExemption(catalog, answers)) return steps;
      const programme = selfCheckProgramme(catalog, answers);
      if (!programme) return steps;
      return [...steps, ...programme.criteria.map((c) => criterionStep(c, profile, lang, t))];
    },
  };
}

/** An option number or label, or the institution named in everyday words (XX大学图书馆 → 高校). */
function parseKind(input: string, choices: Choice[], programmes: Programme[], t: DialogueText): ReturnType<typeof parseChoice> {
  const byNumberOrLabel = parseChoice(input, choices, t);
  if (byNumberOrLabel.ok && (/^\s*\d+\s*$/.test(input) || choices.some((c) => c.label === input.trim()))) return byNumberOrLabel;
  for (const p of programmes) {
    const named = recogniseInstitution(input, p);
    const value = named ? ('kind' in named ? `kind:${named.kind}` : `exempt:${named.exemption}`) : undefined;
    if (value && choices.some((c) => c.value === value)) return { ok: true, value };
  }
  return byNumberOrLabel;
}

function criterionStep(c: Criterion, profile: InstitutionProfile, lang: Lang, t: DialogueText): FlowStep {
  const words = localised(c, lang);
  const base = { id: criterionStepId(c), prompt: words.question, skippable: c.skippable, hint: fill(t.check_basis, { article: c.source.article }) };
  switch (c.answer.type) {
    case 'boolean':
      return { ...base, choices: yesNo(t), parse: (input) => parseYesNo(input, t) };
    case 'number': {
      const unit = lang === 'en' ? '' : c.answer.unit;
      const counted = countedWords(c, lang);
      const known = c.profile_field ? profile.counts[c.profile_field] : undefined;
      return {
        ...base,
        hint: fill(t.check_count_hint, { min: c.answer.min, unit, article: c.source.article }),
        ...(known === undefined ? {} : { defaultValue: known }),
        parse: (input) => parseCount(input, t, undefined, countSubject(counted)),
        echo: (value, input) => (/^\s*\d+\s*$/.test(input) ? undefined : fill(t.recorded, { label: counted, value: `${String(value)} ${unit}`.trim() })),
      };
    }
    case 'choice': {
      const choices = c.answer.options.map((o) => ({ value: o.value, label: localised(o, lang).label }));
      return { ...base, choices, parse: (input) => parseChoice(input, choices, t) };
    }
  }
}

/** What a count criterion counts, in the dialogue's language: 专职人员, full-time staff. */
export function countedWords(c: Criterion, lang: Lang): string {
  return (lang === 'en' ? c.en?.counted : undefined) ?? countedThing(c.label);
}

/**
 * The kind of staff a count criterion is about, from what it counts: 专职人员 → 专职, 兼职人员 →
 * 兼职, 专兼职人员 → 专兼职, full-time staff → full-time. Used to read the right number out of a
 * sentence that counts several kinds.
 */
function countSubject(counted: string): string {
  return counted.replace(/(人员|人)$|\s+(staff|people)$/, '');
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
