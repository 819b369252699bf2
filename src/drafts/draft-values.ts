import type { FilledBy, FormSchema } from '../programmes/schema.js';

/** What a draft is made of: the form, the values by field id, and the cover lines. */
export interface DraftContent {
  form: FormSchema;
  values: Record<string, string | number | boolean | null | undefined>;
  /** cover lines by cover item id (institution, recommender, date); others' items stay blank */
  cover: Record<string, string>;
}

export const FILLED_BY_LABEL: Record<FilledBy, string> = {
  institution: '申请机构',
  'recommending-department': '推荐部门',
  'provincial-office': '省级知识产权管理部门',
  cnipa: '国家知识产权局',
};

export function valueText(v: DraftContent['values'][string]): string {
  return v === undefined || v === null ? '' : String(v);
}

/** Required institution fields still empty, by label. */
export function missingRequired(content: DraftContent): string[] {
  return content.form.sections
    .filter((s) => s.filled_by === 'institution')
    .flatMap((s) => s.fields.filter((f) => f.required && !valueText(content.values[f.id]).trim()).map((f) => f.label));
}

/** Parts others complete: their sections, the seals and the signatures. */
export function partsForOthers(content: DraftContent): string[] {
  const sections = content.form.sections.filter((s) => s.filled_by !== 'institution').map((s) => `${s.number}、${s.title}（由${s.filled_by_label ?? FILLED_BY_LABEL[s.filled_by]}填写并签字盖章）`);
  const seals = content.form.cover.filter((c) => c.seal).map((c) => `封面“${c.label}”处盖章`);
  const signatures = content.form.sections.filter((s) => s.signature && s.filled_by === 'institution').map((s) => `${s.number}、${s.title}：经办人、负责人签字并盖章`);
  const number = content.form.cover.filter((c) => c.filled_by !== 'institution').map((c) => `封面“${c.label}”（由${FILLED_BY_LABEL[c.filled_by]}填写）`);
  return [...sections, ...signatures, ...seals, ...number];
}

/** The draft as plain text: for 预览 in the chat and the summary after the file. */
export function renderDraftText(content: DraftContent): string {
  const lines = [`《${content.form.title}》草稿`, `封面：${content.form.cover.map((c) => `${c.label}：${content.cover[c.id] ?? ''}`).join('；')}`];
  for (const s of content.form.sections) {
    if (s.filled_by !== 'institution') continue;
    lines.push('', `${s.number}、${s.title}`);
    for (const f of s.fields) {
      const v = valueText(content.values[f.id]);
      const shown = f.type === 'longtext' && v.length > 60 ? `${v.slice(0, 60)}…（共 ${[...v.replace(/\s/g, '')].length} 字）` : v;
      lines.push(`· ${f.label}：${shown || (f.required ? '【未填】' : '（未填，选填）')}`);
    }
  }
  return lines.join('\n');
}
