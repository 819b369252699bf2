import { z } from 'zod';

/**
 * What the bot knows about one user's institution: filled by the self-check, the registration
 * checklist and /remind, reused by all of them (defaults, pre-filled drafts, deadlines).
 */
export const profileSchema = z.object({
  programme: z.string().optional(),
  institutionKind: z.string().optional(),
  exemptAs: z.string().optional(),
  fullTimeStaff: z.number().int().nonnegative().optional(),
  partTimeStaff: z.number().int().nonnegative().optional(),
  /** criterion id → answer, from the last self-check */
  criteria: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
  /** form field id → value, from the registration checklist */
  form: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
  /** ISO dates (YYYY-MM-DD) */
  filingDate: z.string().optional(),
  rectificationNoticeDate: z.string().optional(),
  registrationDate: z.string().optional(),
  remindersOff: z.boolean().default(false),
  /** answer language: auto follows the question */
  language: z.enum(['auto', 'zh', 'en']).default('auto'),
});

export type InstitutionProfile = z.infer<typeof profileSchema>;

export const emptyProfile = (): InstitutionProfile => profileSchema.parse({});

/** Storage port for profiles and dialogue sessions, keyed by channel and user. */
export interface UserKey {
  channel: string;
  userId: string;
}
