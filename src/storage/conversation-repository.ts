import { conversationContextSchema, type ConversationContext, type ConversationStore } from '../core/conversation.js';
import type { Logger } from '../core/logger.js';
import type { UserKey } from '../core/profile.js';
import type { Sql } from './sql.js';
import { immediateWrites, type Writes } from './unit-of-work.js';

/** The previous turn's context per user (for follow-up questions), validated on the way out. */
export class ConversationRepository implements ConversationStore {
  constructor(
    private readonly sql: Sql,
    private readonly logger: Logger,
    private readonly writes: Writes = immediateWrites(sql),
  ) {}

  async get(key: UserKey): Promise<ConversationContext | undefined> {
    const staged = this.writes.staged(stageKey(key));
    if (staged) return (staged.value as ConversationContext | null) ?? undefined;
    const row = await this.sql.get<{ context: string }>('SELECT context FROM conversation_context WHERE channel = ? AND user_id = ?', [key.channel, key.userId]);
    if (!row) return undefined;
    const parsed = conversationContextSchema.safeParse(safeJson(row.context));
    if (parsed.success) return parsed.data;
    this.logger.warn('dropping unreadable conversation context', { channel: key.channel, issue: parsed.error.issues[0]?.message });
    await this.clear(key);
    return undefined;
  }

  async save(key: UserKey, context: ConversationContext): Promise<void> {
    await this.writes.write(
      (sql) =>
        sql.run('INSERT INTO conversation_context (channel, user_id, context, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (channel, user_id) DO UPDATE SET context = excluded.context, updated_at = excluded.updated_at', [
          key.channel,
          key.userId,
          JSON.stringify(context),
          context.at,
        ]),
      { key: stageKey(key), value: context },
    );
  }

  async clear(key: UserKey): Promise<void> {
    await this.writes.write((sql) => sql.run('DELETE FROM conversation_context WHERE channel = ? AND user_id = ?', [key.channel, key.userId]), { key: stageKey(key), value: null });
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
