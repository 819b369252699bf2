import { z } from 'zod';

/** JSON values an answer may hold (what SQLite stores). */
export type AnswerValue = string | number | boolean | null;

export const flowStateSchema = z.object({
  flow: z.enum(['self-check', 'register']),
  /** answers by step id; null means the user skipped the step */
  answers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  /** earlier answers offered again after 修改 (accepted with 确认) */
  defaults: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
  /** step ids in the order they were answered, for 返回 */
  history: z.array(z.string()),
  /** the language the dialogue talks in (the user's setting, or the language they wrote in) */
  language: z.enum(['zh', 'en']).default('zh'),
  startedAt: z.string(),
  updatedAt: z.string(),
});

/** A dialogue in progress: which flow, what was answered, in which order. The cursor is derived. */
export type FlowState = z.infer<typeof flowStateSchema>;

export function newFlowState(flow: FlowState['flow'], now: Date, answers: FlowState['answers'] = {}, language: FlowState['language'] = 'zh'): FlowState {
  return { flow, answers, defaults: {}, history: [], language, startedAt: now.toISOString(), updatedAt: now.toISOString() };
}
