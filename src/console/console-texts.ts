import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

export type ConsoleLang = 'zh' | 'en';
export type ConsoleText = Record<string, string>;

const schema = z.object({ zh: z.record(z.string()), en: z.record(z.string()) }).superRefine((t, ctx) => {
  for (const k of Object.keys(t.zh)) if (!(k in t.en)) ctx.addIssue({ code: 'custom', message: `en lacks ${k}` });
});

const defaultFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../prompts/console.yaml');

/** prompts/console.yaml: the console's words in Chinese and English (every key in both). */
export function loadConsoleTexts(file = defaultFile): Record<ConsoleLang, ConsoleText> {
  const t = schema.parse(parseYaml(readFileSync(file, 'utf8')));
  // A missing key shows itself rather than an empty cell.
  const withFallback = (texts: Record<string, string>): ConsoleText => new Proxy(texts, { get: (o, k: string) => o[k] ?? `[${k}]` });
  return { zh: withFallback(t.zh), en: withFallback(t.en) };
}
