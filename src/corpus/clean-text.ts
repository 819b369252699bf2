import { decodeEntities, markdownToText } from './load-document.js';
import { ANNEX_RE, ARTICLE_RE, INSTRUCTIONS_RE, ITEM_RE, PART_RE, CHAPTER_RE, isHeadingStart } from './headings.js';

/**
 * Noise lines that are never policy content: page numbers, bare URLs, source notes
 * (including the Japanese 出所 note), web-page chrome. Kept as data so a new
 * document's noise can be added without touching the parser.
 */
const NOISE_LINE_PATTERNS: RegExp[] = [
  /^[—–\-－~]{1,2}\s*\d{1,4}\s*[—–\-－~]{1,2}$/, // — 4 —
  /^第\s*\d+\s*页(\s*[,，/]?\s*共\s*\d+\s*页)?$/,
  /^https?:\/\/\S+$/, // a bare URL line (source links, mail safe-links)
  /^(出所|出典|来源|资料来源|Source)\s*[:：]/i,
  /^当前位置[:：]/,
  /^发布时间[:：]/,
  /^(字号|字体)[:：]/,
  /^(打印本页|关闭窗口|分享到|【打印】|【关闭】)/,
  /(ICP备|公网安备|版权所有|网站标识码|主办单位[:：]|网站管理[:：])/,
  /^联系我们\s*\|/,
];

/** A line where everything after it is page footer (related links, site map). */
const TAIL_CUT_PATTERNS: RegExp[] = [/^相关链接/];

const TERMINAL_PUNCT = /[。；;：:！!？?]$/;
const CLOSING_QUOTE_OK = /[。；！？]["”’」』）)]$/;

export interface CleanOptions {
  /** Drop the short navigation lines before the first real line (web captures). Default true. */
  dropLeadingNavigation?: boolean;
}

/**
 * Turns a loaded document into clean paragraphs, one per line:
 * removes noise lines, decodes entities, strips markdown, and joins lines
 * that were wrapped inside a sentence (by page layout or a PDF extractor).
 * Headings are never joined to the text before or after them.
 */
export function cleanText(raw: string, options: CleanOptions = {}): string {
  const lines = markdownToText(decodeEntities(raw.replace(/\r\n?/g, '\n')))
    .split('\n')
    .map((l) => ({ indented: /^(\s{2,}|\u3000)/.test(l), text: normaliseSpaces(l) }));
  const kept = dropNoise(lines, options.dropLeadingNavigation ?? true);
  return joinWrapped(kept).join('\n');
}

function normaliseSpaces(l: string): string {
  return l.replace(/[\t\u00a0\u3000]+/g, ' ').replace(/ {2,}/g, ' ').trim();
}

interface RawLine {
  indented: boolean;
  text: string;
}

function dropNoise(lines: RawLine[], dropLeadingNavigation: boolean): RawLine[] {
  const out: RawLine[] = [];
  let seenContent = !dropLeadingNavigation;
  for (const line of lines) {
    const t = line.text;
    if (!t) continue;
    if (TAIL_CUT_PATTERNS.some((re) => re.test(t))) break;
    if (NOISE_LINE_PATTERNS.some((re) => re.test(t))) continue;
    if (!seenContent) {
      // Web captures start with menu words (首页 机构 新闻 …): short lines before any real text.
      if (t.length <= 4) continue;
      seenContent = true;
    }
    out.push(line);
  }
  return out;
}

/** Typical wrapped-line width: the upper quartile of line lengths. */
function typicalWidth(lines: RawLine[]): number {
  const lengths = lines.map((l) => [...l.text].length).filter((n) => n >= 8).sort((a, b) => a - b);
  if (lengths.length === 0) return 40;
  return lengths[Math.floor(lengths.length * 0.75)] ?? 40;
}

function joinWrapped(lines: RawLine[]): string[] {
  const width = typicalWidth(lines);
  const out: string[] = [];
  let inAnnex = false;
  let prevRaw: RawLine | undefined;
  for (const line of lines) {
    const prev = out[out.length - 1];
    if (prev !== undefined && prevRaw !== undefined && shouldJoin(prev, line, width, inAnnex)) {
      out[out.length - 1] = glue(prev, line.text);
    } else {
      out.push(line.text);
    }
    if (ANNEX_RE.test(line.text)) inAnnex = true;
    prevRaw = line;
  }
  return out;
}

function shouldJoin(prev: string, next: RawLine, width: number, inAnnex: boolean): boolean {
  if (TERMINAL_PUNCT.test(prev) || CLOSING_QUOTE_OK.test(prev)) return false;
  if (next.indented) return false; // an indented line starts a paragraph
  if (isHeadingStart(next.text)) return false;
  if (ANNEX_RE.test(prev) || INSTRUCTIONS_RE.test(prev) || CHAPTER_RE.test(prev)) return false;
  const len = [...prev].length;
  // An article never ends without punctuation: if it does, the line was wrapped.
  if (ARTICLE_RE.test(prev)) return true;
  // Part and item lines are headings unless they run to the wrap width.
  if (PART_RE.test(prev) || ITEM_RE.test(prev)) return len >= Math.min(width * 0.9, 40);
  // In annex forms short lines are table cells: only full-width lines are wrapped text.
  if (inAnnex) return !/[)）]$/.test(prev) && len >= Math.min(width * 0.9, 40);
  return len >= width * 0.5;
}

function glue(a: string, b: string): string {
  const needsSpace = /[A-Za-z0-9]$/.test(a) && /^[A-Za-z0-9]/.test(b);
  return needsSpace ? `${a} ${b}` : a + b;
}
