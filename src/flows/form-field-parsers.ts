import { z } from 'zod';
import { fill } from '../answer/messages.js';
import type { FormField } from '../programmes/schema.js';
import type { DialogueText } from './dialogue-text.js';
import type { AnswerValue } from './flow-state.js';
import { parseCount, type Parsed } from './parse-answer.js';

const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-?\d{7,8}(-\d{1,6})?$/;
const SERVICE = /^(400|800)-?\d{3}-?\d{4}$/;

const phoneSchema = (t: DialogueText) =>
  z
    .string()
    .transform((s) => s.replace(/[\s（）()]/g, '').replace(/^\+?86-?/, ''))
    .refine((s) => MOBILE.test(s) || LANDLINE.test(s) || SERVICE.test(s), t.phone_format);

const emailSchema = (t: DialogueText) => z.string().trim().email(t.email_format);

const urlSchema = (t: DialogueText) =>
  z
    .string()
    .trim()
    .transform((s) => (/^https?:\/\//i.test(s) ? s : `https://${s}`))
    .pipe(z.string().url(t.url_format))
    .refine((s) => /^https?:\/\/[^/\s]+\.[^/\s]+/.test(s), t.url_format);

/**
 * A value a person could mean for a name, an address, a title: it has Chinese characters, or
 * letters and digits that read as words. Emoji alone or keyboard mash ("asdf;lkj") are not.
 */
function looksLikeText(s: string): boolean {
  if (/\p{Script=Han}/u.test(s)) return true;
  if (!/[\p{L}\p{N}]/u.test(s) || /[;'[\]\\{}|<>`~^]/.test(s)) return false;
  return /\d/.test(s) || /[aeiouy]/i.test(s);
}

const textSchema = (label: string, t: DialogueText) =>
  z
    .string()
    .trim()
    .min(1, fill(t.field_empty, { label }))
    .max(300, fill(t.field_too_long, { label }))
    .refine(looksLikeText, fill(t.field_not_text, { label }));
const longTextSchema = (label: string, t: DialogueText) => z.string().trim().min(1, fill(t.field_empty, { label })).max(20_000, t.longtext_too_long);

/**
 * A date or period as staff write it: 2023-05-12, 2023年5月, 2023.5, 2023/05/12, 2023年3月—6月.
 * Kept as written (trimmed), after checking it names a plausible year.
 */
function parseDate(input: string, t: DialogueText): Parsed<string> {
  const said = input.trim();
  const years = [...said.matchAll(/(19|20)\d{2}/g)].map((m) => Number(m[0]));
  const ok = years.length > 0 && years.every((y) => y >= 1990 && y <= 2100) && /^([\d年月日号.\-/—–~至到\s]|to\b)+$/i.test(said);
  return ok ? { ok: true, value: said } : { ok: false, error: t.date_format };
}

function fromZod(schema: z.ZodType<string, z.ZodTypeDef, string>, input: string): Parsed<string> {
  const r = schema.safeParse(input);
  // Every schema above names its own message; the fallback is never reached.
  return r.success ? { ok: true, value: r.data } : { ok: false, error: r.error.issues[0]?.message ?? 'invalid' };
}

/** A phone number, an e-mail or a web address inside a sentence (电话是 0571-88886666 转 2): the value itself. */
const IN_SENTENCE: Partial<Record<FormField['type'], RegExp>> = {
  phone: /(?:\+?86[-\s]?)?(1[3-9]\d{9}|0\d{2,3}[-\s]?\d{7,8}(?:-\d{1,6})?|[48]00-?\d{3}-?\d{4})/,
  email: /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/,
  url: /(?:https?:\/\/|www\.)[^\s，,。；;）)]+/i,
};

/** 我们单位全称是…, 名称叫…, 地址：…, our full name is …, it's … — the words that introduce a value, not part of it. */
const LEAD_IN = /^(?:我们|我|本)?(?:单位|机构|中心|馆|站|所)?(?:的)?(?:全称|名称|名字|简称|地址|职务|负责人|联系人)?(?:是|为|叫|叫做|：|:)\s*|^(?:(?:our|the|my|its)\s+(?:institution'?s\s+|full\s+|official\s+)?(?:name|address|title|position|job|contact(?:\s+person)?|head)\s+is|it\s+is|it'?s|we\s+are\s+called|we'?re\s+called|this\s+is)\s+/i;

/**
 * The value a sentence gives for a text field: the lead-in dropped (我们单位全称是X → X); "张三是主任"
 * read by what the field asks — the person (张三), the title (主任) or both (张三 主任).
 */
function textFromSentence(field: FormField, input: string): string {
  const t = input.trim().replace(/[。！!.]+$/, '');
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
const NONE_FOR_OPTIONAL = /^(暂无|无|没有|暂时没有|还没有|不适用|无此项|none|n\/a|not applicable|we don'?t have (one|any)|no)[。.]?$/i;

/**
 * Reads one form field from free text, by its type. `label` is the field's name in the
 * dialogue's language (for messages); the value is kept as typed (the form is Chinese).
 */
export function parseField(field: FormField, input: string, t: DialogueText, label = field.label): Parsed<AnswerValue> {
  if (NONE_FOR_OPTIONAL.test(input.trim())) return field.required ? { ok: false, error: fill(t.field_required, { label }) } : { ok: true, value: '暂无' };
  const said = valueFromSentence(field, input);
  if (said !== input.trim()) {
    const r = parseField(field, said, t, label);
    if (r.ok) return r;
  }
  switch (field.type) {
    case 'text':
      return fromZod(textSchema(label, t), input);
    case 'longtext':
      return fromZod(longTextSchema(label, t), input);
    case 'count':
      return parseCount(input, t);
    case 'phone':
      return fromZod(phoneSchema(t), input);
    case 'email':
      return fromZod(emailSchema(t), input);
    case 'url':
      return fromZod(urlSchema(t), input);
    case 'date':
      return parseDate(input, t);
  }
}
