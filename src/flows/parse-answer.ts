import { chineseToNumber } from '../core/chinese-numerals.js';
import type { Choice } from '../core/ports.js';

/** The result of reading one answer: a value, or a short explanation of what was expected. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const YES = /^(是|是的|有|有的|对|对的|具备|符合|已经|已|满足|健全|可以|能|y|yes|好|嗯|✅)([。.!！]|了|啊)?$/i;
const NO = /^(否|不是|没有|无|没|不|不具备|不符合|还没有|还没|未|不能|不可以|n|no|❌)([。.!！]|的|呢)?$/i;

/** 是/有/对/yes → true, 否/没有/不是/no → false; also the option numbers 1 (是) and 2 (否). */
export function parseYesNo(input: string): Parsed<boolean> {
  const t = input.trim().replace(/\s+/g, '');
  if (t === '1' || YES.test(t)) return { ok: true, value: true };
  if (t === '2' || NO.test(t)) return { ok: true, value: false };
  return { ok: false, error: '请回答“是”或“否”（也可以回复 1 或 2）。' };
}

const CN_DIGITS = '零〇一二两三四五六七八九十百';
/** Digits, or Chinese numerals used as a count (before 个/名/位/人 or at the end): not the 一 of 一起. */
const NUMBER = new RegExp(`\\d+|[${CN_DIGITS}]+(?=[个名位人]|$)`, 'g');
/** Words that make a number approximate or a bound, not a count: asked again for the exact number. */
const INEXACT = /不到|少于|不足|低于|不超过|至多|最多|以下|以内|多于|超过|至少|以上|左右|大概|大约|约|差不多|上下|来个|多个|[十百]几|几[十百个名位人]/;
/** "一个都没有", "没有", "无", "暂无", "零": none. */
const NONE = /^(一个|一名|一位|一人)?(都|也)?(没有|没|无)(人|的)?$|^(暂无|零|无|没有)$|(一个|一名|一位|一人)(都|也)(没有|没)/;

/**
 * A whole, non-negative count from free text: "6", "有6个专职", "六个人", "十二", "一个都没有".
 * With `subject` (the staff kind the step asks about, e.g. 专职), a sentence that counts several
 * things is read at the clause naming the subject: "七八个人吧，专职的三个" → 3. Ranges (七八个,
 * 5-8), bounds (不到5个) and estimates (大概六个) are asked again for the exact number; "很多",
 * "-3", "5.5" and text without a number are explained, not guessed.
 */
export function parseCount(input: string, max = 100_000, subject?: string): Parsed<number> {
  const clause = clauseAbout(input, subject).replace(/[,，\s]/g, '');
  if (/-\s*\d/.test(clause) || /负/.test(clause)) return { ok: false, error: '人数不能是负数，请填一个整数，例如 6。' };
  if (/\d+\.\d+/.test(clause)) return { ok: false, error: '人数应为整数，请填一个整数，例如 6。' };
  const bare = subject ? clause.replace(subject, '') : clause;
  if (NONE.test(bare.replace(/[的。.!！吧啊呢]/g, ''))) return { ok: true, value: 0 };
  const numbers = [...clause.matchAll(NUMBER)].map((m) => m[0]);
  if ((numbers.length > 0 || /几/.test(clause)) && (INEXACT.test(clause) || isRange(clause, numbers))) return { ok: false, error: '请填一个确切的人数（例如 6），不要填范围或大约的数。' };
  if (numbers.length > 1) return { ok: false, error: '请只填一个数字，例如 6。' };
  const n = numbers[0];
  const value = n === undefined ? undefined : /^\d+$/.test(n) ? Number(n) : chineseToNumber(n);
  if (value === undefined || !Number.isFinite(value)) return { ok: false, error: '请填一个具体的数字，例如 6（没有就填 0）。' };
  if (value > max) return { ok: false, error: `这个数字太大了（上限 ${max}），请核对后重新填写。` };
  return { ok: true, value };
}

/** The clause of a sentence that names the subject (or the whole text when none, or several, do). */
function clauseAbout(input: string, subject: string | undefined): string {
  if (!subject) return input;
  const clauses = input.split(/[，,。；;！!？?\n]/).filter((c) => c.trim() !== '');
  const naming = clauses.filter((c) => c.includes(subject));
  return naming.length === 1 && naming[0] ? naming[0] : input;
}

/** 5-8, 5到8, 七八 (two neighbouring digits that are not one number), 两三. */
function isRange(clause: string, numbers: string[]): boolean {
  if (/\d+\s*[-~～到至]\s*\d+/.test(clause)) return true;
  return numbers.some((n) => /^[一二两三四五六七八九]{2}$/.test(n) && (chineseToNumber(n[1] ?? '') ?? 0) - (chineseToNumber(n[0] === '两' ? '二' : (n[0] ?? '')) ?? 0) === 1);
}

/** An option by its number (1, 2 …), its value, or its label (or a unique part of it). */
export function parseChoice(input: string, choices: Choice[]): Parsed<string> {
  const t = input.trim();
  const n = Number(t.replace(/[。.]$/, ''));
  if (Number.isInteger(n) && n >= 1 && n <= choices.length) return { ok: true, value: choices[n - 1]?.value ?? '' };
  const exact = choices.find((c) => c.value === t || c.label === t);
  if (exact) return { ok: true, value: exact.value };
  const partial = choices.filter((c) => t.length >= 2 && (c.label.includes(t) || t.includes(c.label)));
  if (partial.length === 1 && partial[0]) return { ok: true, value: partial[0].value };
  // A near name (行业协会 for 行业组织): the one option sharing the longest run of characters, if it is clearly the one.
  const scored = choices.map((c) => ({ c, n: commonRun(t, c.label) })).sort((a, b) => b.n - a.n);
  const [best, second] = scored;
  if (best && best.n >= 2 && best.n > (second?.n ?? 0) && [...t].length <= 30) return { ok: true, value: best.c.value };
  return { ok: false, error: `请回复选项编号 1–${choices.length}。` };
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
