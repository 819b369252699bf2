import type { Chunk } from '../corpus/types.js';
import type { Tokenizer } from './tokenizer.js';

/**
 * What a clause's lead-in announces: "…应当具备下列条件：" lists 条件, "…备案材料包括：" lists 材料,
 * "…备案程序:" a 程序. Read from the documents' own structure (a lead-in ends in a colon), so a
 * question that names the thing listed can prefer the clause that lists it. An item inherits its
 * article's lead-in. Undefined when the clause has no lead-in.
 */
export function leadNoun(chunk: Chunk, tokenizer: Tokenizer): string | undefined {
  const source = chunk.locator.item ? (chunk.headingPath[chunk.headingPath.length - 1] ?? '') : chunk.text;
  const firstLine = source.split('\n')[0] ?? '';
  const leadIn = /^(.*?)[：:]\s*$/.exec(firstLine)?.[1];
  if (!leadIn) return undefined;
  const listed = (/(?:下列|以下|如下)(.+)$/.exec(leadIn)?.[1] ?? leadIn).replace(/(包括|如下|有|为|是|主要)$/, '');
  const nouns = tokenizer.tagged(listed).filter(({ word, tag }) => /^(n|vn)/.test(tag) && [...word].length >= 2);
  return nouns[nouns.length - 1]?.word;
}
