import { z } from 'zod';
import type { Answer } from '../answer/types.js';
import { articleHit, evalItemSchema, factsFound, type EvalFailure, type EvalItem } from './eval-set.js';
import { squashSpaces } from '../core/text.js';

const turnSchema = z.object({
  say: z.string(),
  doc: z.string().default(''),
  article: z.string().default(''),
  answer_facts: z.array(z.string()).default([]),
  answerable: z.boolean().default(true),
  kind: z.string().optional(),
});

export const conversationSchema = z.object({ id: z.string(), turns: z.array(turnSchema).min(1) });
export type EvalConversation = z.infer<typeof conversationSchema>;

interface Tally {
  answerable: number;
  hit3: number;
  facts: number;
  factTotal: number;
  lead: number;
  unanswerable: number;
  refusedOk: number;
  falseRefusals: number;
}

const empty = (): Tally => ({ answerable: 0, hit3: 0, facts: 0, factTotal: 0, lead: 0, unanswerable: 0, refusedOk: 0, falseRefusals: 0 });
const r = (n: number, d: number): number => (d === 0 ? 0 : Math.round((n / d) * 1000) / 1000);

/**
 * Plays each conversation turn by turn (one session per conversation) and scores, as
 * shared/eval/README.md says: first turns and follow-ups separately, small talk (a friendly
 * reply that is neither a refusal nor cited), refusals.
 */
export async function scoreConversations(conversations: EvalConversation[], ask: (session: string, say: string) => Promise<Answer>): Promise<{ scores: Record<string, number>; failures: EvalFailure[] }> {
  const first = empty();
  const follow = empty();
  let smalltalk = 0;
  let smalltalkOk = 0;
  const failures: EvalFailure[] = [];
  for (const conv of conversations) {
    for (const [i, turn] of conv.turns.entries()) {
      const answer = await ask(conv.id, turn.say);
      const id = `${conv.id}#${i + 1}`;
      if (turn.kind === 'smalltalk') {
        smalltalk++;
        if (!answer.refused && answer.citations.length === 0 && answer.kind === 'smalltalk') smalltalkOk++;
        else failures.push({ id, question: turn.say, why: [`small talk not handled (kind ${answer.kind}, refused ${answer.refused})`] });
        continue;
      }
      const item: EvalItem = evalItemSchema.parse({ id, question: turn.say, answerable: turn.answerable, doc: turn.doc, article: turn.article, answer_facts: turn.answer_facts });
      const why = tallyTurn(i === 0 ? first : follow, item, answer);
      if (why.length > 0) failures.push({ id, question: turn.say, why });
    }
  }
  const scores: Record<string, number> = { conversations: conversations.length };
  for (const [name, t] of [['first', first], ['followup', follow]] as const) {
    scores[`${name}_turns`] = t.answerable + t.unanswerable;
    scores[`${name}_article_hit_at_3`] = r(t.hit3, t.answerable);
    scores[`${name}_fact_recall`] = r(t.facts, t.factTotal);
    scores[`${name}_lead_fact_recall`] = r(t.lead, t.factTotal);
    scores[`${name}_false_refusal_rate`] = r(t.falseRefusals, t.answerable);
    scores[`${name}_refusal_recall`] = r(t.refusedOk, t.unanswerable);
  }
  scores['smalltalk_turns'] = smalltalk;
  scores['smalltalk_handled'] = r(smalltalkOk, smalltalk);
  return { scores, failures };
}

function tallyTurn(t: Tally, item: EvalItem, answer: Answer): string[] {
  const why: string[] = [];
  if (!item.answerable) {
    t.unanswerable++;
    if (answer.refused && answer.citations.length === 0) t.refusedOk++;
    else why.push(`not refused (top: ${answer.citations[0]?.doc} ${answer.citations[0]?.article})`);
    return why;
  }
  t.answerable++;
  if (answer.refused) {
    t.falseRefusals++;
    why.push(`false refusal (${answer.kind}, confidence ${answer.confidence.toFixed(2)})`);
  }
  if (articleHit(item, answer, 3)) t.hit3++;
  else why.push(`article miss: want ${item.doc} ${item.article}, got ${answer.citations.slice(0, 3).map((c) => `${c.doc} ${c.article}`).join(' | ')}`);
  const found = factsFound(item, answer.answer);
  t.facts += found;
  t.lead += factsFound(item, squashSpaces(answer.answer).slice(0, 300));
  t.factTotal += item.answer_facts.length;
  if (found < item.answer_facts.length) why.push(`facts ${found}/${item.answer_facts.length}`);
  return why;
}
