import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Answer } from '../answer/types.js';
import { squashSpaces as strip } from '../core/text.js';

export const evalItemSchema = z.object({
  id: z.string(),
  question: z.string(),
  answerable: z.boolean().default(true),
  doc: z.string().default(''),
  article: z.string().default(''),
  answer_facts: z.array(z.string()).default([]),
  category: z.string().default('other'),
});
export type EvalItem = z.infer<typeof evalItemSchema>;

export async function readJsonl<T>(file: string, schema: z.ZodType<T, z.ZodTypeDef, unknown>): Promise<T[]> {
  const raw = await readFile(file, 'utf8');
  return raw
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const parsed = schema.safeParse(JSON.parse(l));
      if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues[0]?.message}`);
      return parsed.data;
    });
}


/** The leading unit of an expected article, as the scoring rules in shared/eval/README.md define it. */
export function leadingUnit(article: string): { annex: boolean; unit: string } {
  if (article.startsWith('附件')) return { annex: true, unit: '附件' };
  const art = /第[一二三四五六七八九十百]+条/.exec(article);
  if (art) return { annex: false, unit: art[0] };
  const section = /（[一二三四五六七八九十]+）/.exec(article);
  if (section) return { annex: false, unit: section[0] };
  if (article.startsWith('政策解读')) return { annex: false, unit: '政策解读' };
  return { annex: false, unit: article.replace(/、$/, '') };
}

export function articleHit(item: EvalItem, answer: Answer, k: number): boolean {
  const { annex, unit } = leadingUnit(item.article);
  return answer.citations.slice(0, k).some((c) => c.doc === item.doc && (annex ? c.article.startsWith('附件') : c.article.includes(unit)));
}

export function docHit(item: EvalItem, answer: Answer, k: number): boolean {
  return answer.citations.slice(0, k).some((c) => c.doc === item.doc);
}

export function factsFound(item: EvalItem, text: string): number {
  const t = strip(text);
  return item.answer_facts.filter((f) => t.includes(strip(f))).length;
}

export interface EvalScores {
  questions: number;
  answerable: number;
  article_hit_at_1: number;
  article_hit_at_3: number;
  article_hit_at_5: number;
  doc_hit_at_3: number;
  fact_recall: number;
  lead_fact_recall: number;
  fully_correct: number;
  refusal_recall: number;
  false_refusal_rate: number;
}

/** Fact recall per category (eligibility, materials, deadline …) over answerable questions. */
export function factRecallByCategory(items: EvalItem[], answers: Answer[]): Record<string, number> {
  const sums = new Map<string, { found: number; total: number }>();
  items.forEach((item, i) => {
    const ans = answers[i];
    if (!item.answerable || !ans) return;
    const s = sums.get(item.category) ?? { found: 0, total: 0 };
    s.found += factsFound(item, ans.answer);
    s.total += item.answer_facts.length;
    sums.set(item.category, s);
  });
  return Object.fromEntries([...sums].map(([k, s]) => [k, s.total === 0 ? 0 : Math.round((s.found / s.total) * 1000) / 1000]));
}

export interface EvalFailure {
  id: string;
  question: string;
  why: string[];
}

/** Scores answers against a question set, exactly as shared/eval/README.md describes. */
export function scoreAnswers(items: EvalItem[], answers: Answer[]): { scores: EvalScores; failures: EvalFailure[] } {
  let a1 = 0, a3 = 0, a5 = 0, d3 = 0, facts = 0, factTotal = 0, lead = 0, full = 0, refusedOk = 0, falseRefusals = 0;
  const answerable = items.filter((i) => i.answerable);
  const unanswerable = items.length - answerable.length;
  const failures: EvalFailure[] = [];
  items.forEach((item, i) => {
    const ans = answers[i] as Answer;
    const why: string[] = [];
    if (!item.answerable) {
      if (ans.refused && ans.citations.length === 0) refusedOk++;
      else why.push(`not refused (top: ${ans.citations[0]?.doc} ${ans.citations[0]?.article})`);
    } else {
      if (ans.refused) {
        falseRefusals++;
        why.push(`false refusal (confidence ${ans.confidence.toFixed(2)})`);
      }
      const h1 = articleHit(item, ans, 1);
      const h3 = articleHit(item, ans, 3);
      if (h1) a1++;
      if (h3) a3++;
      else why.push(`article miss: want ${item.doc} ${item.article}, got ${ans.citations.slice(0, 3).map((c) => `${c.doc} ${c.article}`).join(' | ')}`);
      if (articleHit(item, ans, 5)) a5++;
      if (docHit(item, ans, 3)) d3++;
      const found = factsFound(item, ans.answer);
      const leadFound = factsFound(item, strip(ans.answer).slice(0, 300));
      facts += found;
      lead += leadFound;
      factTotal += item.answer_facts.length;
      if (found < item.answer_facts.length) why.push(`facts ${found}/${item.answer_facts.length}`);
      else if (leadFound < item.answer_facts.length) why.push(`lead facts ${leadFound}/${item.answer_facts.length}`);
      if (h3 && found === item.answer_facts.length && !ans.refused) full++;
    }
    if (why.length > 0) failures.push({ id: item.id, question: item.question, why });
  });
  const r = (n: number, d: number): number => (d === 0 ? 0 : Math.round((n / d) * 1000) / 1000);
  return {
    scores: {
      questions: items.length,
      answerable: answerable.length,
      article_hit_at_1: r(a1, answerable.length),
      article_hit_at_3: r(a3, answerable.length),
      article_hit_at_5: r(a5, answerable.length),
      doc_hit_at_3: r(d3, answerable.length),
      fact_recall: r(facts, factTotal),
      lead_fact_recall: r(lead, factTotal),
      fully_correct: r(full + refusedOk, items.length),
      refusal_recall: r(refusedOk, unanswerable),
      false_refusal_rate: r(falseRefusals, answerable.length),
    },
    failures,
  };
}
