import { fill } from '../answer/messages.js';
import { localised, type Lang } from '../core/lang.js';
import type { Reply } from '../core/ports.js';
import type { InstitutionProfile } from '../core/profile.js';
import { missingRequired, partsForOthers, renderDraftText, type DraftContent } from '../drafts/draft-values.js';
import { renderDraftDocx } from '../drafts/render-draft-docx.js';
import { docxProblem } from '../drafts/validate-docx.js';
import type { ProgrammeCatalog } from '../programmes/catalog.js';
import type { FormField, FormSchema, Programme } from '../programmes/schema.js';
import { renderMaterials } from '../programmes/render-checklists.js';
import type { FlowKit } from './dialogue-service.js';
import type { DialogueText, DialogueTexts } from './dialogue-text.js';
import { newFlowState, type FlowState } from './flow-state.js';
import { createRegisterFlow, fieldStepId, FORM_STEP, formValues, registerProgramme } from './register-flow.js';

export interface RegisterKitOptions {
  /** what the dialogues say, by language */
  texts: DialogueTexts;
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

  const texts = options.texts;
  return {
    id: 'register',
    titleKey: 'form_title',
    command: '/register',
    definition: (profile, state) => createRegisterFlow(catalog, profile, state.language, texts[state.language]),
    begin(profile, now, args, lang) {
      const t = texts[lang];
      // The form named after the command (/register 网点) wins over the one used last time.
      // With one form only there is nothing to choose.
      const only = catalog.programmes.length === 1 ? catalog.programmes[0] : undefined;
      const programme = catalog.mentioned(args ?? '')[0] ?? catalog.byId(profile.programme ?? '') ?? only;
      // The choice counts as answered, so 返回 at the first field goes back to the form choice.
      const state = programme ? { ...newFlowState('register', now, { [FORM_STEP]: programme.id }, lang), history: [FORM_STEP] } : newFlowState('register', now, {}, lang);
      // An institution the self-check found exempt is told so before the form starts.
      const exempt = programme?.exemptions.find((e) => e.id === profile.exemptAs);
      const rule = programme?.exemption_rule;
      const warning: Reply[] = exempt && rule ? [{ text: fill(t.form_exempt_warning, { label: localised(exempt, lang).label, rule: localised(rule, lang).text, article: rule.source.article }) }] : [];
      const intro: Reply[] = programme
        ? [...warning, { text: `${renderMaterials(catalog, programme, lang, t).text}\n\n${fill(t.form_intro, { form: localised(catalog.formFor(programme), lang).title })}` }]
        : [];
      return { state, intro };
    },
    async preview(state, _profile, now) {
      const draft = draftFor(state, now);
      return [{ text: draft ? renderDraftText(draft) : texts[state.language].form_none_chosen }];
    },
    findSteps(state, _profile, words) {
      const programme = registerProgramme(catalog, state.answers);
      if (!programme) return [];
      // A field by its name in either language (修改 地址, edit address), whole or in part.
      const squeeze = (s: string): string => s.replace(/\s+/g, '').toLowerCase();
      const w = squeeze(words);
      const names = (f: FormField): string[] => [f.label, ...(f.en?.label ? [f.en.label] : [])].map(squeeze);
      const fields = catalog.formFor(programme).sections.flatMap((s) => s.fields);
      const exact = fields.find((f) => names(f).includes(w) || f.id === words);
      const matching = exact ? [exact] : fields.filter((f) => names(f).some((n) => n.includes(w)));
      return matching.map((f) => ({ id: fieldStepId(f.id), label: localised(f, state.language).label }));
    },
    async finish(state, profile, now) {
      const draft = draftFor(state, now);
      const programme = registerProgramme(catalog, state.answers);
      if (!draft || !programme) return { replies: [{ text: texts[state.language].form_none_to_finish }], profile };
      const { replies } = await renderDraftReplies(options, draft, state.language);
      return { replies, profile: profileAfterDraft(profile, state, programme, catalog.formFor(programme)), outcome: { programme: programme.id, verdict: 'draft' } };
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
export async function renderDraftReplies(options: RegisterKitOptions, draft: DraftContent, lang: Lang): Promise<{ replies: Reply[] }> {
  const t: DialogueText = options.texts[lang];
  const data = await renderDraftDocx(draft, options.instructionsFor(draft.form.doc));
  // Every draft is checked before it is sent: a file Word cannot open is never delivered (the
  // answers stay saved and the error reply says so).
  const problem = await docxProblem(data);
  if (problem) throw new Error(`draft of ${draft.form.id} failed validation: ${problem}`);
  const missing = missingRequired(draft, lang);
  const others = partsForOthers(draft, lang, t);
  const form = localised(draft.form, lang);
  const rule = (found: FormSchema['rules'][number] | undefined): string | undefined => (found ? localised(found, lang).label : undefined);
  const summary = [
    fill(t.draft_ready, { form: form.title, font: rule(draft.form.rules.find((r) => r.font)) ?? t.draft_font_default }),
    missing.length > 0 ? fill(t.draft_missing, { items: missing.join(t.items_separator) }) : t.draft_complete,
    t.draft_others,
    ...others.map((o) => `· ${o}`),
    fill(t.draft_attention, { seal: rule(draft.form.rules.find((r) => r.id === 'seal')) ?? t.draft_seal_default }),
  ].join('\n');
  const safeName = draft.form.title.replace(/[\\/:*?"<>|]/g, '');
  return {
    replies: [
      { text: summary },
      { text: fill(t.draft_caption, { form: form.title }), file: { name: `${safeName}-草稿.docx`, mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', data } },
    ],
  };
}

/** /draft: the latest draft again, from what the profile kept of the last registration checklist. */
export async function regenerateDraft(catalog: ProgrammeCatalog, options: RegisterKitOptions, profile: InstitutionProfile, now: Date, lang: Lang): Promise<Reply[]> {
  const last = profile.form['lastForm'];
  const programme = catalog.byId(typeof last === 'string' ? last : '');
  if (!programme) return [{ text: options.texts[lang].draft_none_saved }];
  const answers: FlowState['answers'] = { [FORM_STEP]: programme.id };
  for (const [k, v] of Object.entries(profile.form)) answers[k.startsWith('cover:') ? k : fieldStepId(k)] = v;
  return (await renderDraftReplies(options, draftContent(catalog.formFor(programme), answers, options.formatDate(now)), lang)).replies;
}
