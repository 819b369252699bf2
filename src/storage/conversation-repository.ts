import { conversationContextSchema, type ConversationContext, type ConversationStore } from '../core/conversation.js';
import type { Logger } from '../core/logger.js';
import type { UserKey } from '../core/profile.js';
import type { SqliteDatabase } from './database.js';
import { immediateWrites, type Writes } from './unit-of-work.js';

/** The previous turn's context per user (for follow-up questions), validated on the way out. */
export class ConversationRepository implements ConversationStore {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly logger: Logger,
    private readonly writes: Writes = immediateWrites,
  ) {}

  get(key: UserKey): ConversationContext | undefined {
    const staged = this.writes.staged(stageKey(key));
    if (staged) return (staged.value as ConversationContext | null) ?? undefined;
    const row = this.db.prepare('SELECT context FROM conversation_context WHERE channel = ? AND user_id = ?').get(key.channel, key.userId) as { context: string } | undefined;
    if (!row) return undefined;
    const parsed = conversationContextSchema.safeParse(safeJson(row.context));
    if (parsed.success) return parsed.data;
    this.logger.warn('dropping unreadable conversation context', { channel: key.channel, issue: parsed.error.issues[0]?.message });
    this.clear(key);
    return undefined;
  }

  save(key: UserKey, context: ConversationContext): void {
    this.writes.write(
      () =>
        this.db
          .prepare('INSERT INTO conversation_context (channel, user_id, context, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(channel, user_id) DO UPDATE SET context = excluded.context, updated_at = excluded.updated_at')
          .run(key.channel, key.userId, JSON.stringify(context), context.at),
      { key: stageKey(key), value: context },
    );
  }

  clear(key: UserKey): void {
    this.writes.write(() => this.db.prepare('DELETE FROM conversation_context WHERE channel = ? AND user_id = ?').run(key.channel, key.userId), { key: stageKey(key), value: null });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const stageKey = (key: UserKey): string => `conversation\u0000${key.channel}\u0000${key.userId}`;
