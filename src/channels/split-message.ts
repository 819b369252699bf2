/** How a platform counts a message's size: characters (Telegram) or UTF-8 bytes (WeChat's API). */
export type SizeOf = (text: string) => number;

export const stringLength: SizeOf = (text) => text.length;
export const utf8Bytes: SizeOf = (text) => Buffer.byteLength(text, 'utf8');

/**
 * Splits a long reply into messages of at most `limit` (as `sizeOf` counts) for platforms with
 * a size limit (Telegram 4096 characters, WeChat 2048 bytes). Cuts at paragraph breaks, then
 * line breaks, then sentence ends, so a citation line (《…》第X条：“…”) is never cut in the middle
 * unless that single line is itself over the limit.
 */
export function splitMessage(text: string, limit: number, sizeOf: SizeOf = stringLength): string[] {
  if (limit < 50) throw new Error('message limit too small');
  if (sizeOf(text) <= limit) return [text];
  const out: string[] = [];
  let current = '';
  const push = (piece: string, sep: string): void => {
    if (!current) current = piece;
    else if (sizeOf(current + sep + piece) <= limit) current += sep + piece;
    else {
      out.push(current);
      current = piece;
    }
  };
  for (const paragraph of text.split('\n\n')) {
    if (sizeOf(paragraph) <= limit) {
      push(paragraph, '\n\n');
      continue;
    }
    for (const line of paragraph.split('\n')) {
      if (sizeOf(line) <= limit) push(line, current ? '\n' : '');
      else for (const piece of splitLongLine(line, limit, sizeOf)) push(piece, '');
    }
  }
  if (current) out.push(current);
  return out;
}

function splitLongLine(line: string, limit: number, sizeOf: SizeOf): string[] {
  const sentences = line.match(/[^。；！？!?;]+[。；！？!?;]?/g) ?? [line];
  const out: string[] = [];
  let current = '';
  for (const s of sentences) {
    if (sizeOf(current + s) <= limit) current += s;
    else {
      if (current) out.push(current);
      if (sizeOf(s) <= limit) current = s;
      else {
        out.push(...hardCut(s, limit, sizeOf));
        current = '';
      }
    }
  }
  if (current) out.push(current);
  return out;
}

/** A sentence longer than the limit: cut by code points (never inside a character's bytes). */
function hardCut(s: string, limit: number, sizeOf: SizeOf): string[] {
  const out: string[] = [];
  let current = '';
  for (const ch of s) {
    if (current && sizeOf(current + ch) > limit) {
      out.push(current);
      current = '';
    }
    current += ch;
  }
  if (current) out.push(current);
  return out;
}
