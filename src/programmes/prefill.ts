import { z } from 'zod';

/**
 * What a user said about their institution in a question ("我们是XX大学图书馆，有3个专职，能备案网点吗"),
 * carried into the self-check so those steps start answered. It travels inside the offered
 * command (/check prefill {...}), so nothing is stored until the user chooses to start.
 */
export const selfCheckPrefillSchema = z.object({
  programme: z.string(),
  kind: z.string().optional(),
  exemption: z.string().optional(),
  /** criterion id → the number stated */
  counts: z.record(z.number().int().nonnegative()).default({}),
});
export type SelfCheckPrefill = z.infer<typeof selfCheckPrefillSchema>;

const PREFIX = 'prefill ';

export function prefillArgs(prefill: SelfCheckPrefill): string {
  return `${PREFIX}${JSON.stringify(prefill)}`;
}

/** The prefill in /check's arguments, if they carry a valid one (anything else is ignored). */
export function readPrefill(args: string | undefined): SelfCheckPrefill | undefined {
  if (!args?.startsWith(PREFIX)) return undefined;
  try {
    const parsed = selfCheckPrefillSchema.safeParse(JSON.parse(args.slice(PREFIX.length)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
