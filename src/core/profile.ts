import { z } from 'zod';

/**
 * What the bot knows about one user's institution: filled by the self-check, the registration
 * checklist and /remind, reused by all of them (defaults, pre-filled drafts, deadlines).
 */
const profileObject = z.object({
  programme: z.string().optional(),
  institutionKind: z.string().optional(),
  exemptAs: z.string().optional(),
  /** counts the self-check and the form share, by the programme data's profile_field (专职人员 …) */
  counts: z.record(z.string(), z.number().int().nonnegative()).default({}),
  /** criterion id → answer, from the last self-check */
  criteria: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
  /** form field id → value, from the registration checklist */
  form: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
  /** the institution's dates (YYYY-MM-DD) by the programme data's date ids (filing, rectification notice …) */
  dates: z.record(z.string(), z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).default({}),
  remindersOff: z.boolean().default(false),
  /** answer language: auto follows the question */
  language: z.enum(['auto', 'zh', 'en']).default('auto'),
  /** with auto: the language the user last wrote in, for replies to bare commands (/register) */
  lastLanguage: z.enum(['zh', 'en']).optional(),
});

/**
 * Profiles written before the programme data named its counts and dates kept them as top-level
 * keys (a number, or a YYYY-MM-DD string ending in Date): they move into `counts` and `dates`.
 */
function fromEarlierVersions(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  // Most profiles are current: nothing to move (read for every profile, every day, by reminders).
  if (Object.keys(raw).every((k) => KNOWN_KEYS.has(k))) return raw;
  const out: Record<string, unknown> = {};
  const counts: Record<string, unknown> = {};
  const dates: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (KNOWN_KEYS.has(k)) out[k] = v;
    else if (typeof v === 'number') counts[k] = v;
    else if (typeof v === 'string' && /Date$/.test(k) && /^\d{4}-\d{2}-\d{2}$/.test(v)) dates[k] = v;
  }
  out['counts'] = { ...counts, ...(out['counts'] as object | undefined) };
  out['dates'] = { ...dates, ...(out['dates'] as object | undefined) };
  return out;
}

const KNOWN_KEYS = new Set(Object.keys(profileObject.shape));

export const profileSchema = z.preprocess(fromEarlierVersions, profileObject);

export type InstitutionProfile = z.infer<typeof profileObject>;

/** Where the institution is, as far as the profile says (省份, 地址, 推荐部门): free text, possibly empty. */
export function profilePlace(profile: InstitutionProfile): string {
  return ['province', 'address', 'cover:recommender'].map((k) => profile.form[k]).filter((v): v is string => typeof v === 'string').join(' ');
}

export const emptyProfile = (): InstitutionProfile => profileSchema.parse({});

/** Storage port for profiles and dialogue sessions, keyed by channel and user. */
export interface UserKey {
  channel: string;
  userId: string;
}
