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

/**
 * A whole, non-negative count from free text: "6", "有6个专职", "六个人", "十二".
 * "很多", "-3", "5.5" and text without a number are explained, not guessed.
 */
export function parseCount(input: string, max = 100_000): Parsed<number> {
  const t = input.trim().replace(/[,，\s]/g, '');
  if (/-\s*\d/.test(t) || /负/.test(t)) return { ok: false, error: '人数不能是负数，请填一个整数，例如 6。' };
  if (/\d+\.\d+/.test(t)) return { ok: false, error: '人数应为整数，请填一个整数，例如 6。' };
  const digits = t.match(/\d+/g);
  let value: number | undefined;
  if (digits && digits.length === 1) value = Number(digits[0]);
  else if (digits && digits.length > 1) return { ok: false, error: '请只填一个数字，例如 6。' };
  else {
    const cn = t.match(/[零〇一二两三四五六七八九十百]+(?=[个名位人]|$)/);
    value = cn ? chineseToNumber(cn[0]) : undefined;
  }
  if (value === undefined || !Number.isFinite(value)) return { ok: false, error: '请填一个具体的数字，例如 6（没有就填 0）。' };
  if (value > max) return { ok: false, error: `这个数字太大了（上限 ${max}），请核对后重新填写。` };
  return { ok: true, value };
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
  return { ok: false, error: `请回复选项编号 1–${choices.length}。` };
}
