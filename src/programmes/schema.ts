import { z } from 'zod';

/**
 * Reviewed English renderings of an item's words, shown in English dialogues (`localised` in
 * core/lang.ts); the Chinese stays the record (forms, drafts, quotes).
 */
const english = <T extends z.ZodRawShape>(shape: T) => z.object(shape).partial().strict().optional();
const enLabel = english({ label: z.string().min(1) });
const enText = english({ text: z.string().min(1) });

/** Where a rule comes from: a document id, a locator, and verbatim text found there. */
export const sourceSchema = z.object({ doc: z.string().min(1), article: z.string().min(1), quote: z.string().min(1) }).strict();
export type Source = z.infer<typeof sourceSchema>;

const answerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('boolean'), expected: z.boolean() }),
  z.object({ type: z.literal('number'), min: z.number().int().nonnegative(), unit: z.string().default('') }),
  z.object({
    type: z.literal('choice'),
    options: z.array(z.object({ value: z.string(), label: z.string(), meets: z.boolean(), en: enLabel })).min(2),
  }),
]);

export const criterionSchema = z.object({
  id: z.string(),
  label: z.string(),
  question: z.string(),
  answer: answerSchema,
  profile_field: z.string().optional(),
  skippable: z.boolean().default(false),
  source: sourceSchema,
  /** a clause that matters when this criterion is not met, quoted with it (填表说明 一: the legal entity's name) */
  unmet_note: z.object({ source: sourceSchema }).optional(),
  /** `counted`: what a count criterion counts, in English (full-time staff) */
  en: english({ label: z.string().min(1), question: z.string().min(1), counted: z.string().min(1) }),
});
export type Criterion = z.infer<typeof criterionSchema>;

/** What a count criterion counts, from its label: 专职人员 5 名及以上 → 专职人员; 若干兼职人员 → 兼职人员. */
export function countedThing(label: string): string {
  return label.replace(/\d+\s*名?及?以上|若干|\s+/g, '').trim();
}

/** Machine-readable durations and recurrences, so dates are computed, never typed in. */
export const ruleSchema = z.union([
  z.object({ years: z.number().int().positive() }).strict(),
  z.object({ months: z.number().int().positive() }).strict(),
  z.object({ every: z.literal('year'), due: z.string().regex(/^\d{2}-\d{2}$/).optional() }).strict(),
]);
export type DeadlineRule = z.infer<typeof ruleSchema>;

const labelled = z.object({ id: z.string(), label: z.string(), source: sourceSchema, en: enLabel });
const statement = z.object({ text: z.string(), source: sourceSchema, en: enText });

/** A date of the institution the programme's deadlines count from, and the words that name it in a sentence. */
const programmeDate = z.object({ id: z.string(), label: z.string(), words: z.array(z.string()).min(1), starts: z.boolean().default(false), en: english({ label: z.string().min(1), words: z.array(z.string().min(1)).min(1) }) });

export const programmeSchema = z.object({
  id: z.string(),
  name: z.string(),
  short_name: z.string(),
  /** what the self-check offers as the goal (备案国家知识产权信息公共服务网点) */
  goal_label: z.string(),
  /** where the programme comes in every list of programmes (the self-check, /register, /remind): lower first */
  order: z.number().int().default(100),
  /** the institution's dates: exactly one `starts` (filing, registration) the deadlines count from */
  dates: z.array(programmeDate).refine((d) => d.filter((x) => x.starts).length === 1, 'exactly one date must have starts: true'),
  doc: z.string(),
  keywords: z.array(z.string()).min(1),
  definition: statement,
  /**
   * aliases: the everyday names staff use for each kind of applicant (大学 → 高校, 研究所 → 科研机构),
   * so "我们是XX大学图书馆" is read as the kind the programme names.
   */
  applicants: z.object({
    kinds: z.array(z.string()).min(1),
    aliases: z.record(z.array(z.string().min(2))).default({}),
    source: sourceSchema,
    /** each kind in English (高校 → universities and colleges) */
    en: z.record(z.string().min(1)).default({}),
  }),
  scope: z.array(labelled).default([]),
  criteria: z.array(criterionSchema).min(1),
  exemptions: z.array(labelled.extend({ aliases: z.array(z.string().min(2)).default([]) })),
  exemption_rule: statement.optional(),
  lapse_rule: statement.optional(),
  materials: z.array(labelled).min(1),
  materials_note: statement.optional(),
  procedure: z.array(z.object({ id: z.string(), label: z.string(), actor: z.string(), text: z.string(), source: sourceSchema, en: english({ label: z.string().min(1), actor: z.string().min(1), text: z.string().min(1) }) })).min(1),
  deadlines: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      kind: z.enum(['validity', 'renewal', 'annual', 'rectification', 'penalty']),
      rule: ruleSchema,
      /** the date (of `dates`) it counts from; the starting date when absent */
      from: z.string().optional(),
      prepare: z.string().optional(),
      source: sourceSchema,
      en: english({ label: z.string().min(1), prepare: z.string().min(1) }),
    }),
  ),
  /** how changes to the institution's details are reported, when the documents say */
  change_reporting: statement.optional(),
  duties: z.array(labelled),
  penalties: z.array(statement),
  form: z.string(),
  /** keywords: how English messages name the programme (/register outlet) */
  en: english({ name: z.string().min(1), short_name: z.string().min(1), goal_label: z.string().min(1), keywords: z.array(z.string().min(2)).min(1) }),
});
export type Programme = z.infer<typeof programmeSchema>;

export const filledBySchema = z.enum(['institution', 'recommending-department', 'provincial-office', 'cnipa']);
export type FilledBy = z.infer<typeof filledBySchema>;

export const fieldSchema = z.object({
  id: z.string(),
  label: z.string(),
  type: z.enum(['text', 'longtext', 'count', 'phone', 'email', 'url', 'date']),
  required: z.boolean(),
  /** the profile value this field shares with the self-check (a count criterion's profile_field) */
  profile: z.string().optional(),
  /** where the field's default comes from when the profile has none (cover:institution) */
  default_from: z.string().optional(),
  /** a criterion whose minimum the value is checked against: below it, a warning (the draft goes on) */
  criterion: z.string().optional(),
  en: enLabel,
});
export type FormField = z.infer<typeof fieldSchema>;

export const formSchema = z.object({
  id: z.string(),
  title: z.string(),
  doc: z.string(),
  /** counts that add up: the parts (专职, 兼职) cannot exceed the total (总人数) */
  totals: z.array(z.object({ total: z.string(), parts: z.array(z.string()).min(1) })).default([]),
  edition: statement,
  cover: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      filled_by: filledBySchema,
      seal: z.boolean().default(false),
      note: z.string().optional(),
      /** filled by the bot, not asked: `today` is the date the draft is made (填报日期) */
      value: z.literal('today').optional(),
      /** printed above the title (编号) rather than below it */
      above_title: z.boolean().default(false),
      source: sourceSchema.optional(),
      en: english({ label: z.string().min(1), note: z.string().min(1) }),
    }),
  ),
  rules: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      font: z.string().optional(),
      size_name: z.string().optional(),
      size_half_points: z.number().int().optional(),
      line_spacing_pt: z.number().optional(),
      source: sourceSchema,
      en: enLabel,
    }),
  ),
  sections: z.array(
    z.object({
      number: z.string(),
      title: z.string(),
      filled_by: filledBySchema,
      /** who fills it, as the form's instructions name them (省级知识产权局或有关行业主管部门) */
      filled_by_label: z.string().optional(),
      /**
       * The signature block the official form prints under the section: true for the usual
       * 经办人/负责人/日期 line ending （盖章）; an object when the form words it otherwise (a decision
       * line such as 准予备案 不予备案, a seal such as （单位盖章））.
       */
      signature: z.union([z.boolean(), z.object({ decision: z.string().optional(), seal: z.string().default('（盖章）') })]).default(false),
      guidance: z.string().optional(),
      /** the form states the length inside the guidance's brackets (…简介等，每人200字左右), not after the title */
      length_in_guidance: z.boolean().default(false),
      length: z
        .object({
          chars: z.number().int().positive(),
          approx: z.boolean(),
          per: z.enum(['person', 'case']).optional(),
          /** per person: how many people — the count in `field`, plus `plus` (主要负责人) */
          people: z.object({ field: z.string(), plus: z.number().int().nonnegative().default(0) }).optional(),
          min_items: z.number().int().optional(),
          max_items: z.number().int().optional(),
        })
        .optional(),
      source: sourceSchema,
      /** rows of the printed table: each cell is a label and the fields shown in it */
      layout: z.array(z.array(z.object({ label: z.string(), fields: z.array(z.string()).min(1) }))).optional(),
      fields: z.array(fieldSchema),
      en: english({ title: z.string().min(1), guidance: z.string().min(1), filled_by_label: z.string().min(1) }),
    }),
  ),
  en: english({ title: z.string().min(1) }),
});
export type FormSchema = z.infer<typeof formSchema>;

export const targetsSchema = z.object({
  id: z.string(),
  name: z.string(),
  facts: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      applies_to: z.array(z.string()),
      region: z.string().optional(),
      date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
      rule: ruleSchema.optional(),
      source: sourceSchema,
    }),
  ),
});
export type TargetFacts = z.infer<typeof targetsSchema>;

/** English summaries of clauses, reviewed against the Chinese text (corpus/programmes/summaries-en.yaml). */
export const summariesSchema = z.object({
  id: z.string(),
  summaries: z.array(z.object({ en: z.string().min(1), source: sourceSchema })),
});
export type EnglishSummaries = z.infer<typeof summariesSchema>;

/** The date a programme's deadlines start from (filing, registration). */
export function startingDate(programme: Programme): Programme['dates'][number] {
  const start = programme.dates.find((d) => d.starts);
  if (!start) throw new Error(`programme ${programme.id} has no starting date`); // the schema guarantees one
  return start;
}
