import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** The yes or no put before the clause of a yes/no question (see answer/polarity.ts). */
const yesNoSchema = z.object({ need: z.string(), no_need: z.string(), may: z.string(), may_not: z.string() });

/** Everything the bot says outside the dialogues; both languages give every template (checked at startup). */
const language = z.object({
    source_line: z.string(),
    full_text: z.string(),
    see_also: z.string(),
    refusal: z.string(),
    not_stated: z.string(),
    not_stated_tail: z.string(),
    part_not_stated: z.string(),
    yes_no: yesNoSchema,
    more_titles: z.string(),
    as_of_note: z.string(),
    repealed_note: z.string(),
    count_below: z.string(),
    count_meets: z.string(),
    check_offer: z.string(),
    check_prefilled: z.string(),
    check_prefilled_choice: z.string(),
    smalltalk_greeting: z.string(),
    smalltalk_thanks: z.string(),
    smalltalk_bye: z.string(),
    too_long: z.string(),
    empty: z.string(),
    non_text: z.string(),
    unknown_command: z.string(),
    error: z.string(),
    overflow: z.string(),
    forget_prompt: z.string(),
    forget_nothing: z.string(),
    forget_done: z.string(),
    forget_confirm: z.string(),
    forget_keep: z.string(),
    forget_kept: z.string(),
    private_only: z.string(),
    private_where_link: z.string(),
    private_where_dm: z.string(),
    dialogue_in_private: z.string(),
    discard_prompt: z.string(),
    discard_to_cancel: z.string(),
    discard_to_start: z.string(),
    discard_confirm: z.string(),
    discard_keep: z.string(),
    forget_kinds: z.record(z.string()),
    admin_only: z.string(),
    lang_set: z.string(),
    help: z.string(),
    start: z.string(),
});

const schema = z.object({
  zh: language,
  /** lead: the line before an English answer's summary (Chinese answers quote the clause first) */
  en: language.extend({ lead: z.string() }),
});

export type Messages = z.infer<typeof schema>;

const defaultFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../prompts/messages.yaml');

/** Loads prompts/messages.yaml once (validated); throws at startup if a template is missing. */
export function loadMessages(file = defaultFile): Messages {
  return schema.parse(parseYaml(readFileSync(file, 'utf8')));
}

export { fill } from '../core/text.js';
