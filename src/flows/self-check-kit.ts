import type { ProgrammeCatalog } from '../programmes/catalog.js';
import { evaluateEligibility } from '../programmes/evaluate-eligibility.js';
import type { FlowKit } from './dialogue-service.js';
import { newFlowState, type FlowState } from './flow-state.js';
import { readPrefill, type SelfCheckPrefill } from '../programmes/prefill.js';
import { countedThing } from '../programmes/schema.js';
import { createSelfCheckFlow, criterionAnswers, criterionStepId, selfCheckExemption, selfCheckProgramme, GOAL_STEP, KIND_STEP } from './self-check-flow.js';
import { renderExemption, renderVerdict } from './self-check-verdict.js';

/**
 * The answers a prefill stands for (goal, kind or exemption, stated counts), with what they say,
 * or undefined when it names no programme this catalog has.
 */
function prefilledAnswers(catalog: ProgrammeCatalog, prefill: SelfCheckPrefill | undefined): { answers: FlowState['answers']; said: string[] } | undefined {
  const programme = prefill && catalog.byId(prefill.programme);
  if (!prefill || !programme) return undefined;
  const answers: FlowState['answers'] = { [GOAL_STEP]: programme.id };
  const said = [`办理${programme.short_name}`];
  const exemption = programme.exemptions.find((e) => e.id === prefill.exemption);
  if (exemption) {
    answers[KIND_STEP] = `exempt:${exemption.id}`;
    said.push(`已是${exemption.label}`);
  } else if (prefill.kind && (programme.applicants.kinds.length > 1 || programme.exemptions.length > 0) && programme.applicants.kinds.includes(prefill.kind)) {
    answers[KIND_STEP] = `kind:${prefill.kind}`;
    said.push(`机构类型 ${prefill.kind}`);
  }
  for (const c of programme.criteria) {
    const n = prefill.counts[c.id];
    if (n === undefined || c.answer.type !== 'number') continue;
    answers[criterionStepId(c)] = n;
    said.push(`${countedThing(c.label)} ${n} ${c.answer.unit || '名'}`);
  }
  return { answers, said };
}

/** The eligibility self-check: start, questions from the programme data, verdict, profile update. */
export function createSelfCheckKit(catalog: ProgrammeCatalog): FlowKit {
  return {
    id: 'self-check',
    title: '资格自查',
    command: '/check',
    definition: (profile) => createSelfCheckFlow(catalog, profile),
    begin: (_profile, now, args) => {
      const intro = { text: '开始资格自查：每次一个问题，可直接回复选项编号或文字；中途可以随时提问，也可以回复“返回”“跳过”“取消”。' };
      const prefilled = prefilledAnswers(catalog, readPrefill(args));
      if (!prefilled) return { state: newFlowState('self-check', now), intro: [intro] };
      const state = { ...newFlowState('self-check', now, prefilled.answers), history: Object.keys(prefilled.answers) };
      return { state, intro: [intro, { text: `已按您刚才说的预先填好：${prefilled.said.join('；')}。要改，回复“返回”。` }] };
    },
    async finish(state, profile) {
      const kind = state.answers[KIND_STEP];
      const institutionKind = typeof kind === 'string' ? kind.replace(/^(kind|exempt):/, '') : profile.institutionKind;
      const exemption = selfCheckExemption(catalog, state.answers);
      if (exemption) {
        const verdict = renderExemption(catalog, exemption.programme, exemption);
        return { replies: [{ text: verdict.text }], profile: { ...profile, programme: exemption.programme.id, exemptAs: exemption.id, ...(institutionKind ? { institutionKind } : {}) } };
      }
      const programme = selfCheckProgramme(catalog, state.answers);
      if (!programme) return { replies: [{ text: '没有确定要办理的项目，请输入 /check 重新开始。' }], profile };
      const criteria = criterionAnswers(programme, state.answers);
      const verdict = renderVerdict(catalog, evaluateEligibility(catalog, programme, criteria));
      const counts = { ...profile.counts };
      for (const c of programme.criteria) {
        const v = criteria[c.id];
        if (typeof v === 'number' && c.profile_field) counts[c.profile_field] = v;
      }
      const next = { ...profile, counts, programme: programme.id, criteria, ...(institutionKind ? { institutionKind } : {}) };
      delete next.exemptAs;
      return { replies: [{ text: verdict.text, choices: [{ value: '/register', label: '开始填写登记/备案表' }] }], profile: next };
    },
  };
}
