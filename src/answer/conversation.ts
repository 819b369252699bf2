import type { ConversationContext, ConversationStore } from '../core/conversation.js';
import type { Clock } from '../core/ports.js';
import { systemClock } from '../core/ports.js';
import type { AnswerOptions, AnswerService } from './answer-service.js';
import type { Answer } from './types.js';

/** A previous turn older than this is not what a new message follows up on. */
export const CONTEXT_TTL_MS = 30 * 60 * 1000;

export interface Conversation {
  /** answers one user's message in the context of their previous turn, and keeps the new context */
  ask(user: string | { channel: string; userId: string }, question: string, options?: Omit<AnswerOptions, 'context' | 'at'>): Promise<Answer>;
  /** forget the thread (a dialogue started, or the user asked to delete their data) */
  forget(user: string | { channel: string; userId: string }): Promise<void>;
}

/** Contexts in memory: for batch runs of the CLI. The bot keeps them in SQLite. */
export function memoryConversationStore(): ConversationStore {
  const map = new Map<string, ConversationContext>();
  const k = (key: { channel: string; userId: string }): string => `${key.channel}\u0000${key.userId}`;
  return {
    get: async (key) => map.get(k(key)),
    save: async (key, context) => void map.set(k(key), context),
    clear: async (key) => void map.delete(k(key)),
  };
}

/**
 * Threads answers into conversations: the stored context of a user's previous turn goes into
 * the next question, and the answer's context is stored for the one after (small talk keeps the thread).
 */
export function createConversation(answers: AnswerService, store: ConversationStore = memoryConversationStore(), clock: Clock = systemClock): Conversation {
  const keyOf = (user: string | { channel: string; userId: string }): { channel: string; userId: string } => (typeof user === 'string' ? { channel: 'batch', userId: user } : user);
  return {
    async ask(user, question, options = {}) {
      const key = keyOf(user);
      const now = clock.now();
      const previous = await store.get(key);
      const fresh = previous && now.getTime() - Date.parse(previous.at) <= CONTEXT_TTL_MS ? previous : undefined;
      const answer = await answers.answer(question, { ...options, ...(fresh ? { context: fresh } : {}), at: now.toISOString() });
      if (answer.context) await store.save(key, answer.context);
      return answer;
    },
    forget: (user) => store.clear(keyOf(user)),
  };
}
