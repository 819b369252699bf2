import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../core/errors.js';

/** File extensions the corpus accepts. Anything else in corpus/ is ignored with a log line. */
export const SUPPORTED_EXTENSIONS = ['.txt', '.md', '.markdown', '.html', '.htm', '.docx', '.pdf'] as const;

export function isSupportedDocument(file: string): boolean {
  return (SUPPORTED_EXTENSIONS as readonly string[]).includes(path.extname(file).toLowerCase());
}

/**
 * Reads a document file into plain text, one block per line.
 * Markdown syntax and HTML markup are reduced to text here; policy noise
 * (page numbers, navigation, source notes) is removed later by cleanText.
 * @throws AppError('document_unreadable') when the file cannot be parsed.
 */
export async function loadDocumentText(file: string): Promise<string> {
  const ext = path.extname(file).toLowerCase();
  try {
    const buf = await readFile(file);
    switch (ext) {
      case '.txt':
        return stripBom(buf.toString('utf8'));
      case '.md':
      case '.markdown':
        return markdownToText(stripBom(buf.toString('utf8')));
      case '.html':
      case '.htm':
        return htmlToText(buf.toString('utf8'));
      case '.docx':
        return await docxToText(buf);
      case '.pdf':
        return await pdfToText(buf);
      default:
        throw new AppError('document_unreadable', `unsupported file type: ${ext}`);
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('document_unreadable', `cannot read ${path.basename(file)}: ${(e as Error).message}`, { cause: e });
  }
}

function stripBom(s: string): string {
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

/** Markdown → text: headings, emphasis, links and list markers go; words stay. */
export function markdownToText(md: string): string {
  return md
    .split(/\r?\n/)
    .map((line) =>
      line
        .replace(/^\s{0,3}#{1,6}\s+/, '')
        .replace(/^\s{0,3}>\s?/, '')
        .replace(/^\s*[-*+]\s+(?=\S)/, '')
        .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
        .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
        .replace(/\*\*([^*]+)\*\*/g, '$1')
        .replace(/__([^_]+)__/g, '$1')
        .replace(/`([^`]+)`/g, '$1')
        .replace(/\s+$/, ''),
    )
    .join('\n');
}

async function htmlToText(html: string): Promise<string> {
  const { parse } = await import('node-html-parser');
  const root = parse(html, { blockTextElements: { script: false, style: false, noscript: false } });
  // Navigation, headers and footers are page chrome, never policy content.
  for (const el of root.querySelectorAll('nav, header, footer, aside, script, style, noscript, form, [role=navigation]')) {
    el.remove();
  }
  const main = root.querySelector('main, article, .article, #content, .content') ?? root.querySelector('body') ?? root;
  const blocks = main.querySelectorAll('h1, h2, h3, h4, h5, h6, p, li, td, th, pre, div');
  const lines: string[] = [];
  for (const b of blocks) {
    // Only leaf-ish blocks: a div that contains other blocks is read through its children.
    if (b.tagName === 'DIV' && b.querySelector('p, div, h1, h2, h3, h4, li, table')) continue;
    const t = decodeEntities(b.text).replace(/[ \t\u00a0]+/g, ' ').trim();
    if (t) lines.push(t);
  }
  return lines.join('\n');
}

/** HTML entities that survive in captured web text (&gt; in a breadcrumb, &nbsp; …). */
export function decodeEntities(s: string): string {
  return s
    .replace(/&nbsp;/g, ' ')
    .replace(/&gt;/g, '>')
    .replace(/&lt;/g, '<')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

async function docxToText(buf: Buffer): Promise<string> {
  const mammoth = await import('mammoth');
  const result = await mammoth.extractRawText({ buffer: buf });
  return result.value;
}

async function pdfToText(buf: Buffer): Promise<string> {
  const { extractText, getDocumentProxy } = await import('unpdf');
  const pdf = await getDocumentProxy(new Uint8Array(buf));
  const { text } = await extractText(pdf, { mergePages: false });
  return text.join('\n');
}
