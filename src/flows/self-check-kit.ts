import type { ProgrammeCatalog } from '../programmes/catalog.js';
import { evaluateEligibility } from '../programmes/evaluate-eligibility.js';
import type { FlowKit } from './dialogue-service.js';
import { newFlowState } from './flow-state.js';
import { createSelfCheckFlow, criterionAnswers, selfCheckExemption, selfCheckProgramme, KIND_STEP } from './self-check-flow.js';
import { renderExemption, renderVerdict } from './self-check-verdict.js';

/** The eligibility self-check: start, questions from the programme data, verdict, profile update. */
export function createSelfCheckKit(catalog: ProgrammeCatalog): FlowKit {
  return {
    id: 'self-check',
    title: '资格自查',
    command: '/check',
    definition: (profile) => createSelfCheckFlow(catalog, profile),
    begin: (_profile, now) => ({
      state: newFlowState('self-check', now),
      intro: [{ text: '开始资格自查：每次一个问题，可直接回复选项编号或文字；中途可以随时提问，也可以回复“返回”“跳过”“取消”。' }],
    }),
    async finish(state, profile) {
      const kind = state.answers[KIND_STEP];
      const institutionKind = typeof kind === 'string' ? kind.replace(/^(kind|exempt):/, '') : profile.institutionKind;
      const exemption = selfCheckExemption(catalog, state.answers);
      const outlet = catalog.byId('outlet-filing');
      if (exemption && outlet) {
        const verdict = renderExemption(catalog, outlet, exemption);
        return { replies: [{ text: verdict.text }], profile: { ...profile, programme: outlet.id, exemptAs: exemption.id, ...(institutionKind ? { institutionKind } : {}) } };
      }
      const programme = selfCheckProgramme(catalog, state.answers);
      if (!programme) return { replies: [{ text: '没有确定要办理的项目，请输入 /check 重新开始。' }], profile };
      const criteria = criterionAnswers(programme, state.answers);
      const verdict = renderVerdict(catalog, evaluateEligibility(catalog, programme, criteria));
      const staff = programme.criteria.filter((c) => c.profile_field).reduce<Record<string, number>>((acc, c) => {
        const v = criteria[c.id];
        if (typeof v === 'number' && c.profile_field) acc[c.profile_field] = v;
        return acc;
      }, {});
      const next = { ...profile, ...staff, programme: programme.id, criteria, ...(institutionKind ? { institutionKind } : {}) };
      delete next.exemptAs;
      return { replies: [{ text: verdict.text, choices: [{ value: '/register', label: '开始填写登记/备案表' }] }], profile: next };
    },
  };
}
