/**
 * Splits a long reply into messages of at most `limit` characters for platforms with a size
 * limit (Telegram 4096, WeChat shows ~1200 well). Cuts at paragraph breaks, then line breaks,
 * then sentence ends, so a citation line (《…》第X条：“…”) is never cut in the middle unless
 * that single line is itself longer than the limit.
 */
export function splitMessage(text: string, limit: number): string[] {
  if (limit < 50) throw new Error('message limit too small');
  if (text.length <= limit) return [text];
  const out: string[] = [];
  let current = '';
  const push = (piece: string, sep: string): void => {
    if (!current) current = piece;
    else if (current.length + sep.length + piece.length <= limit) current += sep + piece;
    else {
      out.push(current);
      current = piece;
    }
  };
  for (const paragraph of text.split('\n\n')) {
    if (paragraph.length <= limit) {
      push(paragraph, '\n\n');
      continue;
    }
    for (const line of paragraph.split('\n')) {
      if (line.length <= limit) push(line, current ? '\n' : '');
      else for (const piece of splitLongLine(line, limit)) push(piece, '');
    }
  }
  if (current) out.push(current);
  return out;
}

function splitLongLine(line: string, limit: number): string[] {
  const sentences = line.match(/[^。；！？!?;]+[。；！？!?;]?/g) ?? [line];
  const out: string[] = [];
  let current = '';
  for (const s of sentences) {
    if (current.length + s.length <= limit) current += s;
    else {
      if (current) out.push(current);
      if (s.length <= limit) current = s;
      else {
        for (let i = 0; i < s.length; i += limit) out.push(s.slice(i, i + limit));
        current = '';
      }
    }
  }
  if (current) out.push(current);
  return out;
}
