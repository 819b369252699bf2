import { countedThing, type Criterion, type Programme } from '../programmes/schema.js';
import { statedCounts } from '../understanding/question-shape.js';

/** A number the asker gave, set against the programme's minimum for it. */
export interface CountComparison {
  criterion: Criterion;
  given: number;
  min: number;
  /** what is counted, as the criterion names it (专职人员) */
  what: string;
}

/**
 * "我们有3个专职，够吗": the counts the asker states about themselves, compared with the numeric
 * criteria of the programme the answer comes from. A count matches a criterion when the words
 * around it contain what the criterion counts (its label without numbers and quantifiers).
 */
export function compareStatedCounts(question: string, programme: Programme): CountComparison[] {
  const counts = statedCounts(question);
  if (counts.length === 0) return [];
  const out: CountComparison[] = [];
  for (const criterion of programme.criteria) {
    if (criterion.answer.type !== 'number') continue;
    const what = countedThing(criterion.label);
    const key = what.replace(/人员$/, '');
    const count = counts.find((c) => key.length >= 2 && c.context.includes(key));
    if (count) out.push({ criterion, given: count.value, min: criterion.answer.min, what });
  }
  return out;
}
