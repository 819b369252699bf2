import { squashSpaces } from '../core/text.js';
import { ITEM_RE } from './headings.js';
import type { PolicyDocument } from './types.js';


/**
 * The verbatim text a citation's locator points to, or undefined when the locator names
 * nothing in the document. `第五条` → the whole article with its items; `第五条第（一）项` →
 * that item only; `二、（五）` → the section (with its paragraphs, table rows included for
 * `二、（五） 主要指标表`); `附件 填表说明 三` → that instruction. Used to check that every
 * rule the bot states is really in the policy, at the place it says.
 */
export function resolveLocator(docs: PolicyDocument[], docId: string, article: string): string | undefined {
  const doc = docs.find((d) => d.id === docId);
  if (!doc) return undefined;
  const item = /^(第.+?条)(第（(.+?)）项)$/.exec(article);
  const base = item?.[1] ?? article;
  const units = doc.units.filter((u) => u.locator.label === base || u.locator.label.startsWith(`${base} `));
  if (units.length === 0) return undefined;
  const text = units.map((u) => u.text).join('\n');
  if (!item?.[3]) return text;
  return extractItem(text, item[3]);
}

function extractItem(articleText: string, numeral: string): string | undefined {
  const lines = articleText.split('\n');
  const start = lines.findIndex((l) => ITEM_RE.exec(l)?.[1] === numeral);
  if (start < 0) return undefined;
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => ITEM_RE.test(l));
  return [lines[start], ...(end < 0 ? rest : rest.slice(0, end))].join('\n');
}

/** Is the quote verbatim (white space aside) in the text the locator resolves to? */
export function quoteIsAt(docs: PolicyDocument[], docId: string, article: string, quote: string): boolean {
  const text = resolveLocator(docs, docId, article);
  return text !== undefined && squashSpaces(quote).length > 0 && squashSpaces(text).includes(squashSpaces(quote));
}
