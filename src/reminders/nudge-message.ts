import { z } from 'zod';
import { daysBetween, formatIsoChinese, type IsoDate } from '../core/dates.js';
import type { Reply } from '../core/ports.js';

/** What a planned nudge carries, so it can be rendered without recomputing the plan. */
export const nudgePayloadSchema = z.object({
  label: z.string(),
  due: z.string(),
  prepare: z.string().optional(),
  title: z.string(),
  article: z.string(),
  quote: z.string(),
});
export type NudgePayload = z.infer<typeof nudgePayloadSchema>;

/** The nudge as the user reads it: what, when, how many days left, what to prepare, the clause. */
export function renderNudge(payload: NudgePayload, today: IsoDate, late: boolean): Reply {
  const left = daysBetween(today, payload.due);
  const lines = [
    `⏰ 提醒：${payload.label}`,
    `截止日期：${formatIsoChinese(payload.due)}（${left > 0 ? `还有 ${left} 天` : '就是今天'}）`,
    ...(payload.prepare ? [`需准备：${payload.prepare}`] : []),
    `依据：《${payload.title}》${payload.article}：“${payload.quote}”`,
    ...(late ? ['（补发：服务暂停期间未能按时发送的提醒）'] : []),
    '回复 /remind list 查看全部提醒，/remind off 退订。',
  ];
  return { text: lines.join('\n') };
}
