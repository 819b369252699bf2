import JSZip from 'jszip';

/** Characters XML 1.0 cannot hold (control characters other than tab and line breaks). */
// eslint-disable-next-line no-control-regex -- exactly the characters XML forbids
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/**
 * Checks a rendered draft before it is sent: it opens as a zip, holds the parts Word needs, and its
 * body is well-formed as far as Word cares here (no forbidden characters; every paragraph, run,
 * table, row and cell closed). Returns what is wrong, or undefined when the draft is sound.
 */
export async function docxProblem(data: Buffer): Promise<string | undefined> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(data);
  } catch (e) {
    return `not a zip: ${(e as Error).message}`;
  }
  for (const part of ['[Content_Types].xml', 'word/document.xml', 'word/_rels/document.xml.rels']) if (!zip.file(part)) return `missing ${part}`;
  const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
  if (FORBIDDEN.test(xml)) return 'a character XML forbids';
  for (const tag of ['w:p', 'w:r', 'w:tbl', 'w:tr', 'w:tc', 'w:body', 'w:document']) {
    const opened = (xml.match(new RegExp(`<${tag}[\\s>]`, 'g')) ?? []).length;
    const closed = (xml.match(new RegExp(`</${tag}>`, 'g')) ?? []).length;
    if (opened !== closed) return `<${tag}> opened ${opened} times, closed ${closed}`;
  }
  return undefined;
}
