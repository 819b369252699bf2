import { z } from 'zod';

/**
 * What the previous turn was about, kept per user in the session store so an elliptical
 * follow-up (那地市级的呢, 第十九条呢, 交给谁) is read against it — after a restart and in every channel.
 */
export const conversationContextSchema = z.object({
  /** the previous question as it was understood (follow-ups already merged in) */
  query: z.string(),
  /** the document the previous answer came from */
  doc: z.string().optional(),
  /** the heading of the clause that answered it (its topic) */
  topic: z.string().optional(),
  /** locators of the clauses cited */
  articles: z.array(z.string()).default([]),
  /** ISO time of the turn: an old context is not a conversation any more */
  at: z.string(),
});

export type ConversationContext = z.infer<typeof conversationContextSchema>;

/** Where conversation contexts live (SQLite in the bot, memory in a batch run). */
export interface ConversationStore {
  get(key: { channel: string; userId: string }): Promise<ConversationContext | undefined>;
  save(key: { channel: string; userId: string }, context: ConversationContext): Promise<void>;
  clear(key: { channel: string; userId: string }): Promise<void>;
}
