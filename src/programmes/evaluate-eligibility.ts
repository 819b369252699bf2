import type { Citation } from '../answer/types.js';
import type { ProgrammeCatalog } from './catalog.js';
import type { Criterion, Programme } from './schema.js';

export type CriterionStatus = 'met' | 'not-met' | 'unanswered';

export interface CriterionResult {
  criterion: Criterion;
  status: CriterionStatus;
  required: string;
  given: string;
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
    const required = describeRequirement(criterion);
    if (value === undefined || value === null) return { criterion, status: 'unanswered', required, given: '未回答', citation };
    return { criterion, status: meets(criterion, value) ? 'met' : 'not-met', required, given: describeAnswer(criterion, value), citation };
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

function describeRequirement(c: Criterion): string {
  switch (c.answer.type) {
    case 'boolean':
      return c.answer.expected ? '需要具备' : '不得具备';
    case 'number':
      return `${c.answer.min} ${c.answer.unit}及以上`.replace(/\s+及/, '及');
    case 'choice':
      return c.answer.options.filter((o) => o.meets).map((o) => o.label).join(' 或 ');
  }
}

function describeAnswer(c: Criterion, value: string | number | boolean): string {
  switch (c.answer.type) {
    case 'boolean':
      return value === true ? '是' : '否';
    case 'number':
      return `${value} ${c.answer.unit}`.trim();
    case 'choice':
      return c.answer.options.find((o) => o.value === value)?.label ?? String(value);
  }
}
