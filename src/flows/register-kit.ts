import type { Reply } from '../core/ports.js';
import type { InstitutionProfile } from '../core/profile.js';
import { missingRequired, partsForOthers, renderDraftText, type DraftContent } from '../drafts/draft-values.js';
import { renderDraftDocx } from '../drafts/render-draft-docx.js';
import { docxProblem } from '../drafts/validate-docx.js';
import type { ProgrammeCatalog } from '../programmes/catalog.js';
import type { FormSchema, Programme } from '../programmes/schema.js';
import { renderMaterials } from '../programmes/render-checklists.js';
import type { FlowKit } from './dialogue-service.js';
import { newFlowState, type FlowState } from './flow-state.js';
import { createRegisterFlow, fieldStepId, FORM_STEP, formValues, registerProgramme } from './register-flow.js';

export interface RegisterKitOptions {
  /** the 填表说明 items of a document, verbatim, for the draft's instructions page */
  instructionsFor(docId: string): string[];
  /** 填报日期 as printed: 2026年11月21日 (Asia/Shanghai) */
  formatDate(d: Date): string;
}

/**
 * The registration checklist: materials first, then the official form field by field, ending
 * with a .docx draft laid out like the form and a summary of what is missing and who else fills what.
 */
export function createRegisterKit(catalog: ProgrammeCatalog, options: RegisterKitOptions): FlowKit {
  const draftFor = (state: FlowState, now: Date): DraftContent | undefined => {
    const programme = registerProgramme(catalog, state.answers);
    if (!programme) return undefined;
    return draftContent(catalog.formFor(programme), state.answers, options.formatDate(now));
  };

  return {
    id: 'register',
    title: '登记/备案表填写',
    command: '/register',
    definition: (profile) => createRegisterFlow(catalog, profile),
    begin(profile, now, args) {
      // The form named after the command (/register 网点) wins over the one used last time.
      // With one form only there is nothing to choose.
      const only = catalog.programmes.length === 1 ? catalog.programmes[0] : undefined;
      const programme = catalog.mentioned(args ?? '')[0] ?? catalog.byId(profile.programme ?? '') ?? only;
      // The choice counts as answered, so 返回 at the first field goes back to the form choice.
      const state = programme ? { ...newFlowState('register', now, { [FORM_STEP]: programme.id }), history: [FORM_STEP] } : newFlowState('register', now);
      // An institution the self-check found exempt is told so before the form starts.
      const exempt = programme?.exemptions.find((e) => e.id === profile.exemptAs);
      const warning: Reply[] = exempt && programme?.exemption_rule
        ? [{ text: `按您自查的结果，贵机构已是${exempt.label}：${programme.exemption_rule.text}（${programme.exemption_rule.source.article}）。如仍要填写，可以继续；回复“取消”退出。` }]
        : [];
      const intro: Reply[] = programme
        ? [...warning, { text: `${renderMaterials(catalog, programme).text}\n\n下面按表格顺序逐项填写《${catalog.formFor(programme).title}》。已知的内容会作为默认值，回复“确认”即可沿用；随时可回复“预览”“修改 字段名”“返回”“跳过”（选填项）“取消”。` }]
        : [];
      return { state, intro };
    },
    async preview(state, _profile, now) {
      const draft = draftFor(state, now);
      return [{ text: draft ? renderDraftText(draft) : '还没有选择表格。' }];
    },
    findSteps(state, _profile, words) {
      const programme = registerProgramme(catalog, state.answers);
      if (!programme) return [];
      const w = words.replace(/\s+/g, '');
      const fields = catalog.formFor(programme).sections.flatMap((s) => s.fields);
      const exact = fields.find((f) => f.label.replace(/\s+/g, '') === w || f.id === words);
      const matching = exact ? [exact] : fields.filter((f) => f.label.replace(/\s+/g, '').includes(w));
      return matching.map((f) => ({ id: fieldStepId(f.id), label: f.label }));
    },
    async finish(state, profile, now) {
      const draft = draftFor(state, now);
      const programme = registerProgramme(catalog, state.answers);
      if (!draft || !programme) return { replies: [{ text: '没有选择表格，请输入 /register 重新开始。' }], profile };
      const { replies } = await renderDraftReplies(options, draft);
      return { replies, profile: profileAfterDraft(profile, state, programme, catalog.formFor(programme)) };
    },
  };
}

/** The draft of a form from a checklist's answers; cover items the bot fills itself (填报日期) get today. */
function draftContent(form: FormSchema, answers: FlowState['answers'], today: string): DraftContent {
  const { values, cover } = formValues(answers);
  const filled = Object.fromEntries(form.cover.filter((c) => c.value === 'today').map((c) => [c.id, today]));
  return { form, values, cover: { ...cover, ...filled } };
}

/**
 * What the profile keeps of a finished checklist: every field (the defaults of the next one and
 * the source of /draft), cover lines, which form, and the staff counts the self-check also uses.
 */
function profileAfterDraft(profile: InstitutionProfile, state: FlowState, programme: Programme, formSchema: FormSchema): InstitutionProfile {
  const form: InstitutionProfile['form'] = { ...profile.form, lastForm: programme.id };
  const { values, cover } = formValues(state.answers);
  Object.assign(form, values);
  for (const [id, v] of Object.entries(cover)) form[`cover:${id}`] = v;
  // Fields that share a profile value with the self-check (the form's `profile` key) update it.
  const counts = { ...profile.counts };
  for (const field of formSchema.sections.flatMap((s) => s.fields)) {
    const v = values[field.id];
    if (field.profile && typeof v === 'number') counts[field.profile] = v;
  }
  return { ...profile, programme: programme.id, form, counts };
}

/** The .docx file plus the plain-text summary: what is missing, what others complete. */
export async function renderDraftReplies(options: RegisterKitOptions, draft: DraftContent): Promise<{ replies: Reply[] }> {
  const data = await renderDraftDocx(draft, options.instructionsFor(draft.form.doc));
  // Every draft is checked before it is sent: a file Word cannot open is never delivered (the
  // answers stay saved and the error reply says so).
  const problem = await docxProblem(data);
  if (problem) throw new Error(`draft of ${draft.form.id} failed validation: ${problem}`);
  const missing = missingRequired(draft);
  const others = partsForOthers(draft);
  const summary = [
    `《${draft.form.title}》草稿已生成（按填表说明使用${draft.form.rules.find((r) => r.font)?.label ?? '规定字体'}）。`,
    missing.length > 0 ? `尚未填写的必填项：${missing.join('、')}。输入 /register 可继续补充。` : '机构填写部分已全部完成。',
    '还需由他人完成或签章：',
    ...others.map((o) => `· ${o}`),
    `注意：${draft.form.rules.find((r) => r.id === 'seal')?.label ?? '表格需盖章、签字'}。输入 /draft 可随时重新生成草稿。`,
  ].join('\n');
  const safeName = draft.form.title.replace(/[\\/:*?"<>|]/g, '');
  return {
    replies: [
      { text: summary },
      { text: `${draft.form.title}（草稿）`, file: { name: `${safeName}-草稿.docx`, mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', data } },
    ],
  };
}

/** /draft: the latest draft again, from what the profile kept of the last registration checklist. */
export async function regenerateDraft(catalog: ProgrammeCatalog, options: RegisterKitOptions, profile: InstitutionProfile, now: Date): Promise<Reply[]> {
  const last = profile.form['lastForm'];
  const programme = catalog.byId(typeof last === 'string' ? last : '');
  if (!programme) return [{ text: '还没有保存的草稿。输入 /register 开始填写登记/备案表。' }];
  const answers: FlowState['answers'] = { [FORM_STEP]: programme.id };
  for (const [k, v] of Object.entries(profile.form)) answers[k.startsWith('cover:') ? k : fieldStepId(k)] = v;
  return (await renderDraftReplies(options, draftContent(catalog.formFor(programme), answers, options.formatDate(now)))).replies;
}
