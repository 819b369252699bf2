import { createHash } from 'node:crypto';
import { ITEM_RE } from './headings.js';
import type { Chunk, PolicyDocument, StructuralUnit } from './types.js';
import { charCount } from '../core/text.js';

export interface ChunkOptions {
  /** An article or section longer than this (characters) is split. Default 420. */
  maxChars: number;
}

export const DEFAULT_CHUNK_OPTIONS: ChunkOptions = { maxChars: 420 };

/**
 * Chunks by structure: a unit stays whole when it fits; a long article splits by item
 * (each item chunk keeps the article's lead-in in its search text and gets the locator
 * 第X条第（Y）项); a long plan section splits by paragraph groups under the same locator.
 */
export function chunkDocuments(docs: PolicyDocument[], options: ChunkOptions = DEFAULT_CHUNK_OPTIONS): Chunk[] {
  if (options.maxChars < 100) throw new Error('chunk maxChars must be at least 100');
  const chunks: Chunk[] = [];
  for (const doc of docs) {
    for (const unit of mergeTableRows(doc.units)) if (!isBareHeading(unit)) chunks.push(...chunkUnit(unit, options));
  }
  return chunks;
}

/**
 * The rows of one table travel together (with the header line), so a question comparing two
 * indicators finds both, and every number is read against its column heading.
 */
function mergeTableRows(units: StructuralUnit[]): StructuralUnit[] {
  const out: StructuralUnit[] = [];
  for (const unit of units) {
    const prev = out[out.length - 1];
    if (unit.kind === 'table-row' && prev?.kind === 'table-row' && prev.locator.label === unit.locator.label) {
      out[out.length - 1] = { ...prev, text: `${prev.text}\n${unit.text}` };
    } else if (unit.kind === 'table-row') {
      const header = unit.headingPath[unit.headingPath.length - 1] ?? '';
      const { item: _item, ...locator } = unit.locator;
      out.push({ ...unit, locator, text: header ? `${header}\n${unit.text}` : unit.text });
    } else out.push(unit);
  }
  return out;
}

/**
 * A part heading with no text of its own (一、发展基础) or a title-only preamble says nothing
 * a question could be answered by; its words already travel in every child's heading path.
 */
function isBareHeading(unit: StructuralUnit): boolean {
  const oneShortLine = !unit.text.includes('\n') && charCount(unit.text) <= 30;
  return (unit.kind === 'section' || unit.kind === 'paragraph') && (oneShortLine || (unit.kind === 'paragraph' && charCount(unit.text) < 40));
}

function chunkUnit(unit: StructuralUnit, options: ChunkOptions): Chunk[] {
  if (charCount(unit.text) <= options.maxChars) return [makeChunk(unit, unit.text, undefined, '')];
  if (unit.kind === 'article') return splitArticle(unit, options);
  return splitParagraphs(unit, options);
}

function splitArticle(unit: StructuralUnit, options: ChunkOptions): Chunk[] {
  const lines = unit.text.split('\n');
  const firstItem = lines.findIndex((l) => ITEM_RE.test(l));
  if (firstItem <= 0) return splitParagraphs(unit, options);
  const lead = lines.slice(0, firstItem).join('\n');
  const out: Chunk[] = [makeChunk(unit, lead, undefined, '')];
  let current: string[] = [];
  let itemLabel: string | undefined;
  const flush = (): void => {
    if (current.length > 0) out.push(makeChunk(unit, current.join('\n'), itemLabel, lead));
    current = [];
  };
  for (const line of lines.slice(firstItem)) {
    const m = ITEM_RE.exec(line);
    if (m) {
      flush();
      itemLabel = `第（${m[1] ?? ''}）项`;
    }
    current.push(line);
  }
  flush();
  return out;
}

function splitParagraphs(unit: StructuralUnit, options: ChunkOptions): Chunk[] {
  const paras = unit.text.split('\n');
  const heading = paras[0] ?? '';
  const out: Chunk[] = [];
  let current: string[] = [];
  for (const p of paras) {
    if (current.length > 0 && charCount(current.join('')) + charCount(p) > options.maxChars) {
      out.push(makeChunk(unit, current.join('\n'), undefined, out.length === 0 ? '' : heading));
      current = [];
    }
    current.push(p);
  }
  if (current.length > 0) out.push(makeChunk(unit, current.join('\n'), undefined, out.length === 0 ? '' : heading));
  return out;
}

function makeChunk(unit: StructuralUnit, text: string, item: string | undefined, context: string): Chunk {
  const article = unit.locator.article;
  const label = item ? `${article}${item}` : unit.locator.label;
  const locator = { ...unit.locator, ...(item ? { item } : {}), label };
  const searchText = [...unit.headingPath, partAlias(unit), context, text].filter(Boolean).join('\n');
  const id = createHash('sha1').update(`${locator.doc}|${label}|${text}`).digest('hex').slice(0, 16);
  return { id, locator, text, searchText, headingPath: unit.headingPath, kind: unit.kind };
}

/**
 * Forms and their 填表说明 refer to sections as 第七部分; the section itself is headed 七、….
 * The alias lets a question about 第七部分 find the section.
 */
function partAlias(unit: StructuralUnit): string {
  if (unit.kind !== 'form') return '';
  const m = /([一二三四五六七八九十]+)、/.exec(unit.locator.label);
  return m ? `第${m[1]}部分` : '';
}
