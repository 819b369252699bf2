import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const language = z.object({
  welcome: z.string().min(1),
  file_link: z.string().includes('{url}'),
  thinking: z.string().min(1),
  selected: z.string().min(1),
  menu_more: z.string().min(1).max(16),
  /** the Official Account's menu (at most three buttons at the top level, five below one) */
  menu: z.array(z.object({ name: z.string().min(1).max(16), command: z.string().startsWith('/') })).min(1).max(5),
});

const schema = z.object({ zh: language, en: language });

export type ChannelTexts = z.infer<typeof schema>;

const defaultFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../prompts/channels.yaml');

/** Loads prompts/channels.yaml (validated): what the WeChat channels say themselves. */
export function loadChannelTexts(file = defaultFile): ChannelTexts {
  return schema.parse(parseYaml(readFileSync(file, 'utf8')));
}
