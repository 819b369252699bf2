import {
  AlignmentType,
  BorderStyle,
  Document,
  LineRuleType,
  Packer,
  PageBreak,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type IParagraphOptions,
} from 'docx';
import type { FormSchema } from '../programmes/schema.js';
import { valueText, type DraftContent } from './draft-values.js';

/** Typography the 填表说明 asks for: font and size from the form rules (四号 = 28 half-points). */
interface Typography {
  font: string;
  size: number;
  /** fixed line spacing in points (the city form's 固定值 28 磅), or undefined for single */
  lineSpacingPt: number | undefined;
}

function typographyOf(form: FormSchema): Typography {
  const rule = form.rules.find((r) => r.font);
  return { font: rule?.font ?? '仿宋_GB2312', size: rule?.size_half_points ?? 28, lineSpacingPt: rule?.line_spacing_pt };
}

/** Cells of the section-一 table are laid on a 6-column grid: 1, 2 or 3 label/value pairs per row. */
const GRID = 6;

/**
 * Renders a registration draft laid out like the official form: cover (编号, title, 备案机构/推荐部门
 * with （盖章）, 填报日期, issuer and edition), 填表说明 page, the section-一 table, the numbered
 * sections with their guidance and boxes, and the parts others fill left blank with their
 * signature lines. All text in the form's font and size; fixed line spacing when the form asks.
 */
export async function renderDraftDocx(content: DraftContent, instructions: string[]): Promise<Buffer> {
  const t = typographyOf(content.form);
  const spacing = t.lineSpacingPt ? { line: t.lineSpacingPt * 20, lineRule: LineRuleType.EXACT } : undefined;
  const run = (text: string, bold = false): TextRun => new TextRun({ text: xmlSafe(text), bold, size: t.size, font: { eastAsia: t.font, ascii: t.font, hAnsi: t.font } });
  const para = (text: string, options: Omit<IParagraphOptions, 'children'> & { bold?: boolean } = {}): Paragraph => {
    const { bold, ...rest } = options;
    const lines = text.split('\n');
    const children = lines.flatMap((l, i) => (i === 0 ? [run(l, bold)] : [new TextRun({ break: 1 }), run(l, bold)]));
    return new Paragraph({ ...rest, ...(spacing ? { spacing } : {}), children });
  };
  const cell = (text: string, span = 1, bold = false): TableCell => new TableCell({ columnSpan: span, children: [para(text, { bold })] });
  const box = (text: string, minLines = 6): Table =>
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [new TableRow({ children: [new TableCell({ children: [para(text || '\n'.repeat(minLines))] })] })],
    });

  const children: Array<Paragraph | Table> = [...cover(content, para), new Paragraph({ children: [new PageBreak()] })];
  children.push(para('填 表 说 明', { alignment: AlignmentType.CENTER, bold: true }), ...instructions.map((i) => para(i)), new Paragraph({ children: [new PageBreak()] }));

  for (const [i, section] of content.form.sections.entries()) {
    // Where the form states the length: after the title (（1000字左右）) or inside the guidance.
    const inGuidance = section.length_in_guidance && section.guidance !== undefined;
    // Inside the guidance the number of items is already said (遴选 1-2 个案例).
    const length = section.length ? lengthLabel(section.length, !inGuidance) : '';
    children.push(para(`${section.number}、${section.title}${length && !inGuidance ? `（${length}）` : ''}`, { bold: true }));
    if (section.guidance) children.push(para(`（${section.guidance}${inGuidance && length ? `，${length}` : ''}）`));
    if (section.layout) children.push(layoutTable(section.layout, content.values, cell));
    else if (section.filled_by === 'institution' && section.fields.length === 1 && section.fields[0]) children.push(box(valueText(content.values[section.fields[0].id])));
    else if (section.filled_by === 'institution' && section.fields.length > 1) {
      // Several boxes in one section (典型案例 1, 典型案例 2): each under its own label.
      for (const field of section.fields) children.push(para(field.label), box(valueText(content.values[field.id]), 3));
    } else children.push(box(''));
    children.push(...signatureLines(section.signature).map((l) => para(l)));
    // A blank line between sections, none after the last (it would spill onto an empty page).
    if (i < content.form.sections.length - 1) children.push(para(''));
  }

  const doc = new Document({
    styles: { default: { document: { run: { size: t.size, font: { eastAsia: t.font, ascii: t.font, hAnsi: t.font } } } } },
    sections: [{ properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 1440, bottom: 1440, left: 1588, right: 1474 } } }, children }],
  });
  return Packer.toBuffer(doc);
}

/** The official forms' signature line, blanks as ideographic spaces. */
// Four blanks each: the line with （单位盖章） still fits one line of 四号 on A4.
const SIGNATURE_LINE = '经办人：　　　　负责人：　　　　日期：　　　　';

/** The lines under a section that others sign, worded as the form words them. */
function signatureLines(signature: FormSchema['sections'][number]['signature']): string[] {
  if (signature === false) return [];
  const { decision, seal } = signature === true ? { decision: undefined, seal: '（盖章）' } : signature;
  return [decision ?? '', SIGNATURE_LINE + seal];
}

function lengthLabel(length: NonNullable<FormSchema['sections'][number]['length']>, withItems = true): string {
  const items = withItems && length.min_items && length.max_items ? `${length.min_items}-${length.max_items}个，` : '';
  const per = length.per === 'person' ? '每人' : length.per === 'case' ? '每个' : '';
  return `${items}${per}${length.chars}字左右`;
}

function cover(content: DraftContent, para: (text: string, o?: Omit<IParagraphOptions, 'children'> & { bold?: boolean }) => Paragraph): Paragraph[] {
  const get = (id: string): string => content.cover[id] ?? '';
  const line = (item: FormSchema['cover'][number]): string => `${item.label}：${get(item.id) || '＿＿＿＿＿＿＿＿'}${item.seal ? '（盖章）' : ''}`;
  const above = content.form.cover.filter((c) => c.above_title).map((c) => para(`${c.label}：${get(c.id) || '＿＿＿＿＿'}`));
  const issuer = content.form.edition.text.replace(/\s*\d{4}\s*年制$/, '');
  const edition = /\d{4}\s*年制$/.exec(content.form.edition.text)?.[0] ?? '';
  return [
    ...above,
    para(''),
    para(''),
    para(content.form.title, { alignment: AlignmentType.CENTER, bold: true }),
    para(''),
    para(''),
    ...content.form.cover.filter((c) => !c.above_title).map((c) => para(line(c), { indent: { left: 1200 } })),
    para(''),
    para(''),
    para(issuer, { alignment: AlignmentType.CENTER }),
    para(edition, { alignment: AlignmentType.CENTER }),
  ];
}

function layoutTable(
  layout: NonNullable<FormSchema['sections'][number]['layout']>,
  values: DraftContent['values'],
  cell: (text: string, span?: number, bold?: boolean) => TableCell,
): Table {
  const rows = layout.map((row) => {
    const valueSpan = Math.max(1, Math.floor(GRID / row.length) - 1);
    const cells = row.flatMap((c, i) => {
      const isLast = i === row.length - 1;
      const used = row.length * (1 + valueSpan);
      const span = isLast ? valueSpan + (GRID - used) : valueSpan;
      const value = c.fields.map((f) => valueText(values[f])).filter(Boolean).join('\n');
      return [cell(c.label, 1, false), cell(value, span)];
    });
    return new TableRow({ children: cells });
  });
  const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
    rows,
  });
}

/**
 * Characters XML 1.0 cannot hold (control characters other than tab and line breaks, lone
 * surrogates, U+FFFE/U+FFFF) make Word refuse the whole file: dropped from every run, whatever
 * path a value came by (old sessions, imported profiles).
 */
function xmlSafe(text: string): string {
  // eslint-disable-next-line no-control-regex -- exactly the characters XML forbids
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
}
