import { z } from 'zod';
import { fill } from '../answer/messages.js';
import { daysBetween, formatIsoIn, type IsoDate } from '../core/dates.js';
import type { Reply } from '../core/ports.js';
import type { DialogueTexts } from '../flows/dialogue-text.js';

/** What a planned nudge carries, so it can be rendered without recomputing the plan. */
export const nudgePayloadSchema = z.object({
  label: z.string(),
  due: z.string(),
  prepare: z.string().optional(),
  title: z.string(),
  article: z.string(),
  quote: z.string(),
  /** the language of the nudge (label and prepare are already in it); Chinese when absent */
  lang: z.literal('en').optional(),
});
export type NudgePayload = z.infer<typeof nudgePayloadSchema>;

/** The nudge as the user reads it: what, when, how many days left, what to prepare, the clause. */
export function renderNudge(payload: NudgePayload, today: IsoDate, late: boolean, texts: DialogueTexts): Reply {
  const lang = payload.lang ?? 'zh';
  const t = texts[lang];
  const left = daysBetween(today, payload.due);
  const lines = [
    fill(t.nudge_title, { label: payload.label }),
    fill(t.nudge_due, { date: formatIsoIn(payload.due, lang), left: left > 0 ? fill(t.nudge_days_left, { n: left }) : t.nudge_today }),
    ...(payload.prepare ? [fill(t.nudge_prepare, { prepare: payload.prepare })] : []),
    fill(t.nudge_basis, { title: payload.title, article: payload.article, quote: payload.quote }),
    ...(late ? [t.nudge_late] : []),
    t.nudge_footer,
  ];
  const notice = { title: payload.label, due: payload.due, basis: `《${payload.title}》${payload.article}`, note: payload.prepare ?? t.nudge_footer };
  return { text: lines.join('\n'), notice, ...(payload.lang ? { lang: payload.lang } : {}) };
}
