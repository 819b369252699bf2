import { z } from 'zod';
import type { FormField } from '../programmes/schema.js';
import type { AnswerValue } from './flow-state.js';
import { parseCount, type Parsed } from './parse-answer.js';

const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-?\d{7,8}(-\d{1,6})?$/;
const SERVICE = /^(400|800)-?\d{3}-?\d{4}$/;

const phoneSchema = z
  .string()
  .transform((s) => s.replace(/[\s（）()]/g, '').replace(/^\+?86-?/, ''))
  .refine((s) => MOBILE.test(s) || LANDLINE.test(s) || SERVICE.test(s), '电话号码格式不对：手机 11 位（如 13812345678），座机带区号（如 020-12345678）。');

const emailSchema = z.string().trim().email('邮箱格式不对，例如 ipservice@example.edu.cn。');

const urlSchema = z
  .string()
  .trim()
  .transform((s) => (/^https?:\/\//i.test(s) ? s : `https://${s}`))
  .pipe(z.string().url('网址格式不对，例如 https://ip.example.edu.cn。'))
  .refine((s) => /^https?:\/\/[^/\s]+\.[^/\s]+/.test(s), '网址格式不对，例如 https://ip.example.edu.cn。');

/**
 * A value a person could mean for a name, an address, a title: it has Chinese characters, or
 * letters and digits that read as words. Emoji alone or keyboard mash ("asdf;lkj") are not.
 */
function looksLikeText(s: string): boolean {
  if (/\p{Script=Han}/u.test(s)) return true;
  if (!/[\p{L}\p{N}]/u.test(s) || /[;'[\]\\{}|<>`~^]/.test(s)) return false;
  return /\d/.test(s) || /[aeiouy]/i.test(s);
}

const textSchema = (label: string) =>
  z
    .string()
    .trim()
    .min(1, `“${label}”不能为空。`)
    .max(300, `“${label}”太长了（上限 300 字），较长的内容请放到后面的文字部分。`)
    .refine(looksLikeText, `这看起来不是“${label}”的内容，请重新填写。`);
const longTextSchema = (label: string) => z.string().trim().min(1, `“${label}”不能为空。`).max(20_000, '内容太长了（上限 20000 字）。');

/**
 * A date or period as staff write it: 2023-05-12, 2023年5月, 2023.5, 2023/05/12, 2023年3月—6月.
 * Kept as written (trimmed), after checking it names a plausible year.
 */
function parseDate(input: string): Parsed<string> {
  const t = input.trim();
  const years = [...t.matchAll(/(19|20)\d{2}/g)].map((m) => Number(m[0]));
  const ok = years.length > 0 && years.every((y) => y >= 1990 && y <= 2100) && /^[\d年月日号.\-/—–~至到\s]+$/.test(t);
  return ok ? { ok: true, value: t } : { ok: false, error: '请填写日期，例如 2023-05 或 2023年3月—2023年6月。' };
}

function fromZod(schema: z.ZodType<string, z.ZodTypeDef, string>, input: string): Parsed<string> {
  const r = schema.safeParse(input);
  return r.success ? { ok: true, value: r.data } : { ok: false, error: r.error.issues[0]?.message ?? '格式不对。' };
}

/** A phone number, an e-mail or a web address inside a sentence (电话是 0571-88886666 转 2): the value itself. */
const IN_SENTENCE: Partial<Record<FormField['type'], RegExp>> = {
  phone: /(?:\+?86[-\s]?)?(1[3-9]\d{9}|0\d{2,3}[-\s]?\d{7,8}(?:-\d{1,6})?|[48]00-?\d{3}-?\d{4})/,
  email: /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/,
  url: /(?:https?:\/\/|www\.)[^\s，,。；;）)]+/i,
};

/** 我们单位全称是…, 名称叫…, 地址：… — the words that introduce a value, not part of it. */
const LEAD_IN = /^(?:我们|我|本)?(?:单位|机构|中心|馆|站|所)?(?:的)?(?:全称|名称|名字|简称|地址|职务|负责人|联系人)?(?:是|为|叫|叫做|：|:)\s*/;

/**
 * The value a sentence gives for a text field: the lead-in dropped (我们单位全称是X → X); "张三是主任"
 * read by what the field asks — the person (张三), the title (主任) or both (张三 主任).
 */
function textFromSentence(field: FormField, input: string): string {
  const t = input.trim().replace(/[。！!]+$/, '');
  // A lead-in first (联系人是赵六 → 赵六): it names the field, not the person.
  const stripped = t.replace(LEAD_IN, '');
  if (stripped !== t && stripped.length > 0) return stripped.replace(/的$/, '');
  const person = /^([\u4e00-\u9fff]{2,4})(?:是|任|担任)([\u4e00-\u9fff]{2,8})$/.exec(t);
  if (person?.[1] && person[2]) {
    if (/职务/.test(field.label) && /(人|负责人|联络人|联系人)/.test(field.label)) return `${person[1]} ${person[2]}`;
    if (/职务/.test(field.label)) return person[2];
    if (/(人|负责人|联络人|联系人|人员)/.test(field.label)) return person[1];
  }
  return t;
}

/** The value a reply means for the field, when it is said in a sentence; the reply itself otherwise. */
export function valueFromSentence(field: FormField, input: string): string {
  if (field.type === 'text') return textFromSentence(field, input);
  const re = IN_SENTENCE[field.type];
  const found = re?.exec(input)?.[0];
  return found ?? input;
}

/** “Nothing to put here” for an optional row (线上服务平台: 暂无): printed as 暂无, whatever the field's type. */
const NONE_FOR_OPTIONAL = /^(暂无|无|没有|暂时没有|还没有|不适用|无此项)[。.]?$/;

/** Reads one form field from free text, by its type. */
export function parseField(field: FormField, input: string): Parsed<AnswerValue> {
  if (NONE_FOR_OPTIONAL.test(input.trim())) return field.required ? { ok: false, error: `“${field.label}”是必填项，请填写具体内容。` } : { ok: true, value: '暂无' };
  const said = valueFromSentence(field, input);
  if (said !== input.trim()) {
    const r = parseField(field, said);
    if (r.ok) return r;
  }
  switch (field.type) {
    case 'text':
      return fromZod(textSchema(field.label), input);
    case 'longtext':
      return fromZod(longTextSchema(field.label), input);
    case 'count':
      return parseCount(input);
    case 'phone':
      return fromZod(phoneSchema, input);
    case 'email':
      return fromZod(emailSchema, input);
    case 'url':
      return fromZod(urlSchema, input);
    case 'date':
      return parseDate(input);
  }
}
