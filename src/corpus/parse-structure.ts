import type { Locator, StructuralUnit } from './types.js';
import {
  ANNEX_RE,
  ARTICLE_RE,
  CHAPTER_RE,
  INSTRUCTIONS_RE,
  INTERPRETATION_RE,
  ITEM_RE,
  NUMBERED_ROW_RE,
  PART_RE,
  TABLE_HEADER_RE,
  TABLE_VALUES_RE,
} from './headings.js';
import { chineseToNumber } from '../core/chinese-numerals.js';

/**
 * Parses cleaned text (one paragraph per line) into structural units with locators.
 *
 * One state machine serves every kind of policy text:
 * - measures and guidelines: 第X章 / 第X条 / （一） items → `第五条`, `第五条第（一）项`;
 * - plans and opinions: 一、 parts / （一） sections → `二、（五）`; a main-indicator table → `二、（五） 主要指标表 第3项`;
 * - an appended official interpretation (…政策解读) → `政策解读 二、`;
 * - the annex (附件): its cover → `附件 备案表 封面`, its 填表说明 items → `附件 填表说明 三`,
 *   its form sections → `附件 备案表 二、工作基础和优势特点`.
 * Text outside any heading (a preamble) gets the locator `序言`, as Chinese documents call the opening
 * before the first heading.
 */
export function parseStructure(doc: { id: string; title: string }, cleaned: string): StructuralUnit[] {
  const parser = new StructureParser(doc);
  for (const line of cleaned.split('\n')) {
    if (line.trim()) parser.feed(line.trim());
  }
  return parser.finish();
}

const SIGNATURE_DATE_RE = /^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$/;

type Mode = 'body' | 'annex-cover' | 'annex-instructions' | 'annex-form' | 'table';

interface OpenUnit {
  locator: Locator;
  lines: string[];
  headingPath: string[];
  kind: StructuralUnit['kind'];
}

class StructureParser {
  private units: StructuralUnit[] = [];
  private open: OpenUnit | undefined;
  private mode: Mode = 'body';
  private prefix = '';
  private chapter: string | undefined;
  private part: { label: string; heading: string } | undefined;
  private article: { label: string; heading: string } | undefined;
  private section: { label: string; heading: string } | undefined;
  private formName = '表';
  private lastInstruction = 0;
  private tableTitle = '主要指标表';
  private tableHeader = '';
  private tableRow: string[] = [];
  private lastLine = '';

  constructor(private readonly doc: { id: string; title: string }) {}

  feed(line: string): void {
    if (this.mode === 'table' && this.feedTable(line)) return;
    if (ANNEX_RE.test(line) && !ARTICLE_RE.test(line)) return this.startAnnex(line);
    if (this.mode.startsWith('annex')) return this.feedAnnex(line);
    if (INTERPRETATION_RE.test(line) && line.length <= 80) return this.startInterpretation(line);
    if (TABLE_HEADER_RE.test(line)) return this.startTable(line);
    if (SIGNATURE_DATE_RE.test(line)) return this.startSignature(line);
    const chapter = CHAPTER_RE.exec(line);
    if (chapter) {
      this.close();
      this.chapter = line;
      this.article = undefined;
      return;
    }
    const article = ARTICLE_RE.exec(line);
    if (article) return this.startArticle(`第${article[1] ?? ''}条`, line);
    const item = ITEM_RE.exec(line);
    if (item) return this.startItem(`（${item[1] ?? ''}）`, line);
    const part = PART_RE.exec(line);
    if (part && !this.article) return this.startPart(`${part[1] ?? ''}、`, line);
    this.append(line);
  }

  finish(): StructuralUnit[] {
    this.flushTableRow();
    this.close();
    return this.units;
  }

  // ---- body ----

  private startArticle(label: string, line: string): void {
    this.close();
    this.article = { label, heading: line };
    this.section = undefined;
    this.openUnit(label, 'article', [line]);
  }

  private startItem(label: string, line: string): void {
    if (this.article) {
      // An item inside an article belongs to the article's text; the chunker splits long articles by item.
      this.append(line);
      return;
    }
    this.close();
    const partLabel = this.part?.label ?? '';
    this.section = { label: `${this.prefix}${partLabel}${label}`, heading: line };
    this.openUnit(this.section.label, 'section', [line]);
  }

  private startPart(label: string, line: string): void {
    this.close();
    this.part = { label, heading: line };
    this.section = undefined;
    this.openUnit(`${this.prefix}${label}`, 'section', [line]);
  }

  private startInterpretation(line: string): void {
    this.close();
    this.prefix = '政策解读 ';
    this.part = undefined;
    this.section = undefined;
    this.article = undefined;
    this.chapter = line;
    this.openUnit('政策解读', 'paragraph', [line]);
  }

  /**
   * The issuer-and-date lines that close a document (国家知识产权局 / 2024年7月24日) are not part
   * of the last section: they become a 落款 unit (the issuer line moves with the date).
   */
  private startSignature(line: string): void {
    const issuer = this.open && this.open.lines.length > 1 && (this.open.lines[this.open.lines.length - 1] ?? '').length <= 20 ? this.open.lines.pop() : undefined;
    this.close();
    this.openUnit(`${this.prefix}落款`.trim(), 'paragraph', issuer ? [issuer, line] : [line]);
    this.close();
  }

  // ---- table ----

  private startTable(line: string): void {
    this.close();
    this.mode = 'table';
    // A main-indicator table (its title line says 主要指标) is cited as “主要指标表”; others as “表”.
    this.tableTitle = /指标/.test(this.lastLine) ? '主要指标表' : '表';
    this.tableHeader = line;
    this.tableRow = [];
  }

  /** Returns false when the line ends the table (a new heading), so feed() handles it. */
  private feedTable(line: string): boolean {
    if (PART_RE.test(line) || ITEM_RE.test(line) || ARTICLE_RE.test(line) || CHAPTER_RE.test(line) || ANNEX_RE.test(line)) {
      this.flushTableRow();
      this.mode = 'body';
      return false;
    }
    if (NUMBERED_ROW_RE.test(line)) this.flushTableRow();
    this.tableRow.push(line);
    if (TABLE_VALUES_RE.test(line)) this.flushTableRow();
    return true;
  }

  private flushTableRow(): void {
    if (this.tableRow.length === 0) return;
    const row = this.tableRow.join('');
    const n = NUMBERED_ROW_RE.exec(row)?.[1];
    const sectionLabel = this.section?.label ?? `${this.prefix}${this.part?.label ?? ''}`;
    const article = `${sectionLabel} ${this.tableTitle}`.trim();
    const locator: Locator = {
      ...this.baseLocator(article),
      ...(n ? { item: `第${n}项` } : {}),
      label: article,
    };
    this.units.push({
      locator,
      text: joinTableRow(this.tableRow),
      headingPath: [...this.headingPath(), this.tableTitle, this.tableHeader],
      kind: 'table-row',
    });
    this.tableRow = [];
  }

  // ---- annex ----

  private startAnnex(line: string): void {
    this.close();
    this.mode = 'annex-cover';
    this.article = undefined;
    this.part = undefined;
    this.section = undefined;
    this.chapter = '附件';
    const title = ANNEX_RE.exec(line)?.[1];
    if (title) this.setFormName(title);
  }

  private setFormName(line: string): void {
    const m = /(\S{2}表)\s*$/.exec(line.replace(/\s+/g, ''));
    if (m?.[1]) this.formName = m[1];
  }

  private feedAnnex(line: string): void {
    if (INSTRUCTIONS_RE.test(line)) {
      this.close();
      this.mode = 'annex-instructions';
      this.lastInstruction = 0;
      return;
    }
    const part = PART_RE.exec(line);
    if (part) {
      const n = chineseToNumber(part[1] ?? '');
      const isInstruction = this.mode === 'annex-instructions' && n > this.lastInstruction;
      this.close();
      if (isInstruction) {
        this.lastInstruction = n;
        this.openUnit(`附件 填表说明 ${part[1] ?? ''}`, 'instructions', [line]);
      } else {
        this.mode = 'annex-form';
        const title = (part[2] ?? '').replace(/[（(][^）)]*[）)]\s*$/, '').replace(/\s+/g, '');
        this.section = { label: `附件 ${this.formName} ${part[1] ?? ''}、${title}`, heading: line };
        this.openUnit(this.section.label, 'form', [line]);
      }
      return;
    }
    if (this.mode === 'annex-cover') {
      if (line.length <= 40 && /表$/.test(line.replace(/\s+/g, ''))) this.setFormName(line);
      if (!this.open) this.openUnit(`附件 ${this.formName} 封面`, 'form', []);
      if (this.open) this.open.locator = { ...this.open.locator, article: `附件 ${this.formName} 封面`, label: `附件 ${this.formName} 封面` };
    }
    this.append(line);
  }

  // ---- shared ----

  private headingPath(): string[] {
    const path = [this.doc.title];
    if (this.chapter) path.push(this.chapter);
    if (this.part && !this.article) path.push(this.part.heading);
    if (this.article) path.push(this.article.heading.slice(0, 40));
    if (this.section && this.section.heading !== this.part?.heading) path.push(this.section.heading.slice(0, 40));
    return path;
  }

  private baseLocator(article: string): Locator {
    return {
      doc: this.doc.id,
      title: this.doc.title,
      ...(this.chapter ? { chapter: this.chapter } : {}),
      article,
      label: article,
    };
  }

  private openUnit(label: string, kind: StructuralUnit['kind'], lines: string[]): void {
    this.open = { locator: this.baseLocator(label), lines, headingPath: this.headingPath(), kind };
  }

  private append(line: string): void {
    this.lastLine = line;
    if (!this.open) this.openUnit(`${this.prefix}序言`.trim(), 'paragraph', []);
    this.open?.lines.push(line);
  }

  private close(): void {
    const u = this.open;
    this.open = undefined;
    if (!u || u.lines.length === 0) return;
    this.lastLine = u.lines[u.lines.length - 1] ?? '';
    this.units.push({ locator: u.locator, text: u.lines.join('\n'), headingPath: u.headingPath, kind: u.kind });
  }
}

/** Label lines of a row were wrapped by the layout: glue them; the value line stays apart. */
function joinTableRow(lines: string[]): string {
  const last = lines[lines.length - 1] ?? '';
  if (lines.length > 1 && TABLE_VALUES_RE.test(last)) return `${lines.slice(0, -1).join('')} ${last}`;
  return lines.join('');
}
