import { z } from 'zod';
import type { InboxEntry, InboxStore } from '../core/pipeline-ports.js';
import { CHANNELS, type IncomingMessage } from '../core/ports.js';
import type { UserKey } from '../core/profile.js';
import { busyAware, type SqliteDatabase } from './database.js';

const messageSchema = z.object({
  channel: z.enum(CHANNELS),
  chatId: z.string(),
  userId: z.string(),
  kind: z.enum(['text', 'sticker', 'photo', 'voice', 'file', 'other']),
  text: z.string().optional(),
  group: z.boolean().optional(),
  privateLink: z.string().optional(),
  messageId: z.string().max(256).optional(),
});

/** Platform ids are kept this long after receipt, so a re-delivered update is recognised. */
const SEEN_RETENTION_MS = 7 * 86_400_000;

/**
 * The inbox in SQLite. A message and its platform id are recorded in one transaction; the id
 * (in processed_updates, with no user data) outlives the message, which is removed when its
 * handling commits.
 */
export class InboxRepository implements InboxStore {
  private accepted = 0;
  constructor(private readonly db: SqliteDatabase) {}

  accept(entries: Array<{ message: IncomingMessage; platformId: string; queue: boolean }>, at: Date): boolean[] {
    const iso = at.toISOString();
    const fresh = busyAware(() =>
      this.db
        .transaction(() =>
          entries.map(({ message, platformId, queue }) => {
            const seen = this.db.prepare('INSERT OR IGNORE INTO processed_updates (channel, update_id, seen_at) VALUES (?, ?, ?)').run(message.channel, platformId, iso);
            if (seen.changes === 0) return false;
            if (queue) this.db.prepare('INSERT INTO inbox (channel, user_id, chat_id, message, received_at) VALUES (?, ?, ?, ?, ?)').run(message.channel, message.userId, message.chatId, JSON.stringify(message), iso);
            return true;
          }),
        )
        .immediate(),
    );
    const before = this.accepted;
    this.accepted += fresh.filter(Boolean).length;
    if (Math.floor(this.accepted / 1000) > Math.floor(before / 1000)) this.pruneSeen(at);
    return fresh;
  }

  next(key: UserKey): InboxEntry | undefined {
    const row = this.db.prepare('SELECT id, message FROM inbox WHERE channel = ? AND user_id = ? ORDER BY id LIMIT 1').get(key.channel, key.userId) as { id: number; message: string } | undefined;
    if (!row) return undefined;
    const parsed = messageSchema.safeParse(JSON.parse(row.message));
    // A row this version cannot read is handled as an unreadable message (the router answers it).
    const message: IncomingMessage = parsed.success ? stripUndefined(parsed.data) : { channel: key.channel as IncomingMessage['channel'], chatId: key.userId, userId: key.userId, kind: 'other' };
    return { id: row.id, message };
  }

  pendingCount(key: UserKey): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM inbox WHERE channel = ? AND user_id = ?').get(key.channel, key.userId) as { n: number }).n;
  }

  pendingUsers(): UserKey[] {
    return this.db.prepare('SELECT channel, user_id AS userId FROM inbox GROUP BY channel, user_id ORDER BY MIN(id)').all() as UserKey[];
  }

  complete(id: number): void {
    this.db.prepare('DELETE FROM inbox WHERE id = ?').run(id);
  }

  private pruneSeen(now: Date): void {
    try {
      this.db.prepare('DELETE FROM processed_updates WHERE seen_at < ?').run(new Date(now.getTime() - SEEN_RETENTION_MS).toISOString());
    } catch {
      // pruning is housekeeping: a lock now means it runs next time
    }
  }
}

function stripUndefined(m: z.infer<typeof messageSchema>): IncomingMessage {
  return Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined)) as unknown as IncomingMessage;
}
