import { fill } from '../answer/messages.js';
import { localised, type Lang } from '../core/lang.js';
import type { ProgrammeCatalog } from '../programmes/catalog.js';
import { evaluateEligibility } from '../programmes/evaluate-eligibility.js';
import type { FlowKit } from './dialogue-service.js';
import { newFlowState, type FlowState } from './flow-state.js';
import { readPrefill, type SelfCheckPrefill } from '../programmes/prefill.js';
import type { DialogueText, DialogueTexts } from './dialogue-text.js';
import { countedWords, createSelfCheckFlow, criterionAnswers, criterionStepId, selfCheckExemption, selfCheckProgramme, GOAL_STEP, KIND_STEP } from './self-check-flow.js';
import { renderExemption, renderVerdict } from './self-check-verdict.js';

/**
 * The answers a prefill stands for (goal, kind or exemption, stated counts), with what they say,
 * or undefined when it names no programme this catalog has.
 */
function prefilledAnswers(catalog: ProgrammeCatalog, prefill: SelfCheckPrefill | undefined, lang: Lang, t: DialogueText): { answers: FlowState['answers']; said: string[] } | undefined {
  const programme = prefill && catalog.byId(prefill.programme);
  if (!prefill || !programme) return undefined;
  const answers: FlowState['answers'] = { [GOAL_STEP]: programme.id };
  const said = [fill(t.check_said_goal, { name: localised(programme, lang).short_name })];
  const exemption = programme.exemptions.find((e) => e.id === prefill.exemption);
  if (exemption) {
    answers[KIND_STEP] = `exempt:${exemption.id}`;
    said.push(fill(t.check_said_exempt, { label: localised(exemption, lang).label }));
  } else if (prefill.kind && (programme.applicants.kinds.length > 1 || programme.exemptions.length > 0) && programme.applicants.kinds.includes(prefill.kind)) {
    answers[KIND_STEP] = `kind:${prefill.kind}`;
    said.push(fill(t.check_said_kind, { kind: lang === 'en' ? (programme.applicants.en[prefill.kind] ?? prefill.kind) : prefill.kind }));
  }
  for (const c of programme.criteria) {
    const n = prefill.counts[c.id];
    if (n === undefined || c.answer.type !== 'number') continue;
    answers[criterionStepId(c)] = n;
    said.push(fill(t.check_said_count, { what: countedWords(c, lang), n, unit: c.answer.unit || t.check_count_unit }).trim());
  }
  return { answers, said };
}

/** The eligibility self-check: start, questions from the programme data, verdict, profile update. */
export function createSelfCheckKit(catalog: ProgrammeCatalog, texts: DialogueTexts): FlowKit {
  return {
    id: 'self-check',
    titleKey: 'check_title',
    command: '/check',
    definition: (profile, state) => createSelfCheckFlow(catalog, profile, state.language, texts[state.language]),
    begin: (_profile, now, args, lang) => {
      const t = texts[lang];
      const intro = { text: t.check_intro };
      const prefilled = prefilledAnswers(catalog, readPrefill(args), lang, t);
      if (!prefilled) return { state: newFlowState('self-check', now, {}, lang), intro: [intro] };
      const state = { ...newFlowState('self-check', now, prefilled.answers, lang), history: Object.keys(prefilled.answers) };
      return { state, intro: [intro, { text: fill(t.check_prefilled, { said: prefilled.said.join(t.list_separator) }) }] };
    },
    async finish(state, profile) {
      const lang = state.language;
      const t = texts[lang];
      const kind = state.answers[KIND_STEP];
      const institutionKind = typeof kind === 'string' ? kind.replace(/^(kind|exempt):/, '') : profile.institutionKind;
      const exemption = selfCheckExemption(catalog, state.answers);
      if (exemption) {
        const verdict = renderExemption(catalog, exemption.programme, exemption, lang, t);
        return { replies: [{ text: verdict.text }], profile: { ...profile, programme: exemption.programme.id, exemptAs: exemption.id, ...(institutionKind ? { institutionKind } : {}) }, outcome: { programme: exemption.programme.id, verdict: 'exempt' } };
      }
      const programme = selfCheckProgramme(catalog, state.answers);
      if (!programme) return { replies: [{ text: t.check_no_programme }], profile, outcome: { verdict: 'none' } };
      const criteria = criterionAnswers(programme, state.answers);
      const evaluation = evaluateEligibility(catalog, programme, criteria);
      const verdict = renderVerdict(catalog, evaluation, lang, t);
      const counts = { ...profile.counts };
      for (const c of programme.criteria) {
        const v = criteria[c.id];
        if (typeof v === 'number' && c.profile_field) counts[c.profile_field] = v;
      }
      const next = { ...profile, counts, programme: programme.id, criteria, ...(institutionKind ? { institutionKind } : {}) };
      delete next.exemptAs;
      const outcome = { programme: programme.id, verdict: evaluation.eligible ? ('meets' as const) : ('falls_short' as const), shortOn: evaluation.notMet.map((r) => r.criterion.id) };
      return { replies: [{ text: verdict.text, choices: [{ value: '/register', label: t.check_to_form }] }], profile: next, outcome };
    },
  };
}
