/**
 * Personal numbers and addresses that must not be kept in logs and reports: resident ID numbers
 * (18 digits, the last may be X; the old 15-digit form), mainland mobile and landline numbers,
 * e-mail addresses. Each is replaced by a tag saying what was there.
 */
const PATTERNS: Array<[RegExp, string]> = [
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[邮箱]'],
  [/(?<![0-9])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx](?![0-9])/g, '[证件号]'],
  [/(?<![0-9])[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![0-9])/g, '[证件号]'],
  [/(?<![0-9])(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![0-9])/g, '[电话]'],
  [/(?<![0-9])0\d{2,3}[- ]?\d{7,8}(?![0-9])/g, '[电话]'],
];

export function redactPersonalData(text: string): string {
  return PATTERNS.reduce((out, [pattern, tag]) => out.replace(pattern, tag), text);
}
