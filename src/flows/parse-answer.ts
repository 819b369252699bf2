import { fill } from '../answer/messages.js';
import { chineseToNumber } from '../core/chinese-numerals.js';
import type { Choice } from '../core/ports.js';
import type { DialogueText } from './dialogue-text.js';

/** The result of reading one answer: a value, or a short explanation of what was expected. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const YES = /^(是|是的|有|有的|对|对的|具备|符合|已经|已|满足|健全|可以|能|y|yes|yeah|yep|sure|ofcourse|correct|true|wedo|wehave|wecan|weare|好|嗯|✅)([。.!！]|了|啊)?$/i;
const NO = /^(否|不是|没有|无|没|不|不具备|不符合|还没有|还没|未|不能|不可以|n|no|nope|notyet|false|wedon'?t|wedonot|wecan'?t|wecannot|wearenot|wearen'?t|❌)([。.!！]|的|呢)?$/i;

/** 是/有/对/yes → true, 否/没有/不是/no → false; also the option numbers 1 (是) and 2 (否). */
export function parseYesNo(input: string, t: DialogueText): Parsed<boolean> {
  const said = input.trim().replace(/\s+/g, '');
  if (said === '1' || YES.test(said)) return { ok: true, value: true };
  if (said === '2' || NO.test(said)) return { ok: true, value: false };
  return { ok: false, error: t.expect_yes_no };
}

const CN_DIGITS = '零〇一二两三四五六七八九十百';
/** Digits, or Chinese numerals used as a count (before 个/名/位/人 or at the end): not the 一 of 一起. */
const NUMBER = new RegExp(`\\d+|[${CN_DIGITS}]+(?=[个名位人]|$)`, 'g');
/** Words that make a number approximate or a bound, not a count: asked again for the exact number. */
const INEXACT = /不到|少于|不足|低于|不超过|至多|最多|以下|以内|多于|超过|至少|以上|左右|大概|大约|约|差不多|上下|来个|多个|[十百]几|几[十百个名位人]|lessthan|fewerthan|under|below|morethan|over|atleast|atmost|upto|about|around|roughly|approximately|orso|some|several|dozens?/i;
/** "一个都没有", "没有", "无", "暂无", "零", "none", "nobody": none. */
const NONE = /^(一个|一名|一位|一人)?(都|也)?(没有|没|无)(人|的)?$|^(暂无|零|无|没有)$|(一个|一名|一位|一人)(都|也)(没有|没)|^(we(have|'ve)?)?(none|noone|nobody|zero|no(staff|people|one)?|notany(one)?)$/i;
/** English number words a count is written with (three, twelve): read as digits. */
const ENGLISH_NUMBERS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty'];
const ENGLISH_NUMBER_RE = new RegExp(`\\b(${ENGLISH_NUMBERS.join('|')})\\b`, 'gi');

/**
 * A whole, non-negative count from free text: "6", "有6个专职", "六个人", "十二", "一个都没有".
 * With `subject` (the staff kind the step asks about, e.g. 专职), a sentence that counts several
 * things is read at the clause naming the subject: "七八个人吧，专职的三个" → 3. Ranges (七八个,
 * 5-8), bounds (不到5个) and estimates (大概六个) are asked again for the exact number; "很多",
 * "-3", "5.5" and text without a number are explained, not guessed.
 */
export function parseCount(input: string, t: DialogueText, max = 100_000, subject?: string): Parsed<number> {
  const words = input.replace(ENGLISH_NUMBER_RE, (w) => String(ENGLISH_NUMBERS.indexOf(w.toLowerCase())));
  const clause = clauseAbout(words, subject).replace(/[,，\s]/g, '');
  if (/-\s*\d/.test(clause) || /负/.test(clause)) return { ok: false, error: t.count_negative };
  if (/\d+\.\d+/.test(clause)) return { ok: false, error: t.count_fraction };
  const bare = subject ? clause.replace(subject.replace(/\s+/g, ''), '') : clause;
  if (NONE.test(bare.replace(/[的。.!！吧啊呢]/g, '').replace(/(staff|people|persons?|members?|employees?|full-?time|part-?time)/gi, ''))) return { ok: true, value: 0 };
  const numbers = [...clause.matchAll(NUMBER)].map((m) => m[0]);
  if ((numbers.length > 0 || /几/.test(clause)) && (INEXACT.test(clause) || isRange(clause, numbers))) return { ok: false, error: t.count_inexact };
  if (numbers.length > 1) return { ok: false, error: t.count_several };
  const n = numbers[0];
  const value = n === undefined ? undefined : /^\d+$/.test(n) ? Number(n) : chineseToNumber(n);
  if (value === undefined || !Number.isFinite(value)) return { ok: false, error: t.count_missing };
  if (value > max) return { ok: false, error: fill(t.count_too_big, { max }) };
  return { ok: true, value };
}

/** The clause of a sentence that names the subject (or the whole text when none, or several, do). */
function clauseAbout(input: string, subject: string | undefined): string {
  if (!subject) return input;
  const clauses = input.split(/[，,。；;！!？?\n]|\band\b|\bbut\b/i).filter((c) => c.trim() !== '');
  const naming = clauses.filter((c) => c.toLowerCase().includes(subject.toLowerCase()));
  return naming.length === 1 && naming[0] ? naming[0] : input;
}

/** 5-8, 5到8, 5or6, 七八 (two neighbouring digits that are not one number), 两三. */
function isRange(clause: string, numbers: string[]): boolean {
  if (/\d+\s*([-~～到至]|or|to)\s*\d+/i.test(clause)) return true;
  return numbers.some((n) => /^[一二两三四五六七八九]{2}$/.test(n) && (chineseToNumber(n[1] ?? '') ?? 0) - (chineseToNumber(n[0] === '两' ? '二' : (n[0] ?? '')) ?? 0) === 1);
}

/** An option by its number (1, 2 …), its value, or its label (or a unique part of it). */
export function parseChoice(input: string, choices: Choice[], t: DialogueText): Parsed<string> {
  const said = input.trim();
  const n = Number(said.replace(/[。.]$/, ''));
  if (Number.isInteger(n) && n >= 1 && n <= choices.length) return { ok: true, value: choices[n - 1]?.value ?? '' };
  const exact = choices.find((c) => c.value === said || c.label === said);
  if (exact) return { ok: true, value: exact.value };
  const low = said.toLowerCase();
  const partial = choices.filter((c) => said.length >= 2 && (c.label.toLowerCase().includes(low) || low.includes(c.label.toLowerCase())));
  if (partial.length === 1 && partial[0]) return { ok: true, value: partial[0].value };
  // A near name (行业协会 for 行业组织): the one option sharing the longest run of characters, if it is clearly the one.
  const scored = choices.map((c) => ({ c, n: commonRun(low, c.label.toLowerCase()) })).sort((a, b) => b.n - a.n);
  const [best, second] = scored;
  // Two Chinese characters name a thing (协会); English needs a longer run (universit…).
  const minRun = /\p{Script=Han}/u.test(said) ? 2 : 5;
  if (best && best.n >= minRun && best.n > (second?.n ?? 0) && [...said].length <= 30) return { ok: true, value: best.c.value };
  return { ok: false, error: fill(t.choice_number, { n: choices.length }) };
}

/** Length of the longest run of characters two texts share. */
function commonRun(a: string, b: string): number {
  let best = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      let k = 0;
      while (i + k < a.length && j + k < b.length && a[i + k] === b[j + k]) k++;
      best = Math.max(best, k);
    }
  }
  return best;
}
