import type { Citation } from '../answer/types.js';
import type { ProgrammeCatalog } from './catalog.js';
import type { Criterion, Programme } from './schema.js';

export type CriterionStatus = 'met' | 'not-met' | 'unanswered';

export interface CriterionResult {
  criterion: Criterion;
  status: CriterionStatus;
  /** the answer given (undefined when unanswered); put into words by the verdict, in the user's language */
  value?: string | number | boolean;
  citation: Citation;
}

export interface EligibilityVerdict {
  programme: Programme;
  results: CriterionResult[];
  /** every criterion met */
  eligible: boolean;
  notMet: CriterionResult[];
  unanswered: CriterionResult[];
}

/**
 * Checks each criterion of a programme against the answers (criterion id → value; null or
 * missing = not answered). Pure: the self-check, the registration checklist and tests share it.
 */
export function evaluateEligibility(catalog: ProgrammeCatalog, programme: Programme, answers: Record<string, string | number | boolean | null | undefined>): EligibilityVerdict {
  const results = programme.criteria.map((criterion): CriterionResult => {
    const value = answers[criterion.id];
    const citation = catalog.cite(criterion.source);
    if (value === undefined || value === null) return { criterion, status: 'unanswered', citation };
    return { criterion, status: meets(criterion, value) ? 'met' : 'not-met', value, citation };
  });
  const notMet = results.filter((r) => r.status === 'not-met');
  const unanswered = results.filter((r) => r.status === 'unanswered');
  return { programme, results, eligible: notMet.length === 0 && unanswered.length === 0, notMet, unanswered };
}

function meets(c: Criterion, value: string | number | boolean): boolean {
  switch (c.answer.type) {
    case 'boolean':
      return value === c.answer.expected;
    case 'number':
      return typeof value === 'number' && value >= c.answer.min;
    case 'choice':
      return c.answer.options.some((o) => o.value === value && o.meets);
  }
}
