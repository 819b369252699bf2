import JSZip from 'jszip';

export interface DocxContent {
  xml: string;
  /** every table as rows of cell texts */
  tables: string[][][];
  /** paragraph texts outside and inside tables, in order */
  paragraphs: string[];
}

const text = (xml: string): string =>
  [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:br\/>/g)].map((m) => (m[0] === '<w:br/>' ? '\n' : (m[1] ?? ''))).join('');

/** Opens a .docx (a zip) and reads its body: a small reader, enough to check cells and runs. */
export async function readDocx(data: Buffer): Promise<DocxContent> {
  const zip = await JSZip.loadAsync(data);
  const file = zip.file('word/document.xml');
  if (!file) throw new Error('not a docx: word/document.xml missing');
  const xml = await file.async('string');
  const tables = [...xml.matchAll(/<w:tbl>([\s\S]*?)<\/w:tbl>/g)].map((t) =>
    [...(t[1] ?? '').matchAll(/<w:tr[ >]([\s\S]*?)<\/w:tr>/g)].map((r) => [...(r[1] ?? '').matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((c) => text(c[1] ?? ''))),
  );
  const paragraphs = [...xml.matchAll(/<w:p[ >]([\s\S]*?)<\/w:p>/g)].map((p) => text(p[1] ?? ''));
  return { xml, tables, paragraphs };
}
