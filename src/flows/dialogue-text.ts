import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Lang } from '../core/lang.js';

/** Every template the dialogues use; each language must give all of them (checked at startup). */
const KEYS = [
  'progress_check', 'progress_form', 'known_default', 'controls', 'control_back', 'control_skip', 'control_cancel', 'recorded', 'back_first',
  'skipped', 'cannot_skip', 'appended', 'edit_not_reached', 'edit_which', 'edit_unknown', 'still_empty', 'back_to_question', 'no_dialogue',
  'cancelled', 'resumed', 'answer_yes', 'answer_no', 'expect_yes_no', 'count_negative', 'count_fraction', 'count_inexact', 'count_several', 'count_missing',
  'count_too_big', 'choice_number', 'field_required', 'field_empty', 'field_too_long', 'field_not_text', 'longtext_too_long', 'phone_format',
  'email_format', 'url_format', 'date_format', 'check_title', 'check_intro', 'check_prefilled', 'check_said_goal', 'check_said_exempt',
  'check_said_kind', 'check_said_count', 'check_goal_prompt', 'check_goal_unsure', 'check_kind_prompt', 'check_kind_exempt', 'check_basis',
  'check_count_hint', 'check_count_unit', 'check_no_programme', 'check_to_form', 'verdict_title', 'verdict_eligible', 'verdict_not_eligible',
  'verdict_not_met', 'verdict_met', 'verdict_unanswered', 'verdict_line', 'verdict_see_also', 'verdict_next', 'verdict_fix_first',
  'verdict_materials', 'verdict_procedure', 'verdict_register', 'verdict_sources', 'verdict_required_yes', 'verdict_required_no',
  'verdict_required_count', 'verdict_or', 'list_separator', 'items_separator', 'exempt_conclusion', 'exempt_conclusion_plain', 'exempt_basis',
  'exempt_lapse', 'exempt_source', 'form_title', 'form_prompt', 'form_choice', 'form_then', 'form_cover_prompt', 'form_cover_note',
  'form_field_prompt', 'form_optional', 'form_length_hint', 'form_length_per_person', 'form_length_per_case', 'form_length_plain',
  'form_content_hint', 'form_phone_hint', 'form_email_hint', 'form_date_hint', 'form_count_hint', 'form_too_short', 'form_too_long',
  'form_length_ok', 'form_below_minimum', 'form_total_min', 'form_part_over_total', 'form_parts_over_total', 'form_exempt_warning', 'form_intro',
  'form_none_chosen', 'form_none_to_finish', 'draft_ready', 'draft_font_default', 'draft_missing', 'draft_complete', 'draft_others',
  'draft_attention', 'draft_seal_default', 'draft_caption', 'draft_none_saved', 'materials_title', 'materials_note', 'materials_form',
  'clauses_from', 'cited', 'others_section', 'others_signature', 'others_seal', 'others_cover', 'who_institution',
  'who_recommending_department', 'who_provincial_office', 'who_cnipa',
  'remind_which', 'remind_ask_date', 'remind_header', 'remind_date_line', 'remind_upcoming', 'remind_none_ahead', 'remind_item', 'remind_off_state', 'remind_on_state', 'remind_off_list', 'remind_nothing_year', 'remind_list_title', 'remind_list_item', 'remind_term_first', 'remind_term_nth', 'remind_term_passed', 'remind_term_next', 'remind_rectification_passed', 'remind_not_understood', 'remind_other_date', 'remind_or', 'remind_end', 'remind_future', 'remind_recorded', 'remind_stopped', 'remind_started', 'days_joiner', 'nudge_title', 'nudge_due', 'nudge_days_left', 'nudge_today', 'nudge_prepare', 'nudge_basis', 'nudge_late', 'nudge_footer',
] as const;

export type DialogueKey = (typeof KEYS)[number];
/** The dialogue templates of one language. */
export type DialogueText = Record<DialogueKey, string>;
export type DialogueTexts = Record<Lang, DialogueText>;

const language = z.object(Object.fromEntries(KEYS.map((k) => [k, z.string()])) as Record<DialogueKey, z.ZodString>).strict();
const schema = z.object({ zh: language, en: language });

const defaultFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../prompts/dialogue.yaml');

/** Loads prompts/dialogue.yaml (validated): throws at startup if a language misses a template. */
export function loadDialogueTexts(file = defaultFile): DialogueTexts {
  return schema.parse(parseYaml(readFileSync(file, 'utf8')));
}
