import { fill } from '../answer/messages.js';
import { chineseToNumber } from '../core/chinese-numerals.js';
import { localised, type Lang } from '../core/lang.js';
import type { DialogueText } from '../flows/dialogue-text.js';
import type { FilledBy, FormSchema } from '../programmes/schema.js';

/** What a draft is made of: the form, the values by field id, and the cover lines. */
export interface DraftContent {
  form: FormSchema;
  values: Record<string, string | number | boolean | null | undefined>;
  /** cover lines by cover item id (institution, recommender, date); others' items stay blank */
  cover: Record<string, string>;
}

/** Who fills a part, in the dialogue's words (the form itself names them in its own sections). */
const whoFills = (t: DialogueText, by: FilledBy): string =>
  ({ institution: t.who_institution, 'recommending-department': t.who_recommending_department, 'provincial-office': t.who_provincial_office, cnipa: t.who_cnipa })[by];

export function valueText(v: DraftContent['values'][string]): string {
  return v === undefined || v === null ? '' : String(v);
}

/** A part of the form by its number: 三 as printed in Chinese, 3 in English. */
export function partNumber(number: string, lang: Lang): string {
  return lang === 'en' && /^[一二三四五六七八九十]+$/.test(number) ? String(chineseToNumber(number)) : number;
}

/** Required institution fields still empty, by label (in the dialogue's language). */
export function missingRequired(content: DraftContent, lang: Lang): string[] {
  return content.form.sections
    .filter((s) => s.filled_by === 'institution')
    .flatMap((s) => s.fields.filter((f) => f.required && !valueText(content.values[f.id]).trim()).map((f) => localised(f, lang).label));
}

/** Parts others complete: their sections, the seals and the signatures. */
export function partsForOthers(content: DraftContent, lang: Lang, t: DialogueText): string[] {
  const title = (s: FormSchema['sections'][number]): string => localised(s, lang).title;
  const label = (c: FormSchema['cover'][number]): string => localised(c, lang).label;
  const sections = content.form.sections
    .filter((s) => s.filled_by !== 'institution')
    .map((s) => fill(t.others_section, { number: partNumber(s.number, lang), title: title(s), who: localised(s, lang).filled_by_label ?? whoFills(t, s.filled_by) }));
  const signatures = content.form.sections.filter((s) => s.signature && s.filled_by === 'institution').map((s) => fill(t.others_signature, { number: partNumber(s.number, lang), title: title(s) }));
  const seals = content.form.cover.filter((c) => c.seal).map((c) => fill(t.others_seal, { label: label(c) }));
  const number = content.form.cover.filter((c) => c.filled_by !== 'institution').map((c) => fill(t.others_cover, { label: label(c), who: whoFills(t, c.filled_by) }));
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
