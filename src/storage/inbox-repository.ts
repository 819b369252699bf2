import { z } from 'zod';
import type { InboxEntry, InboxStore } from '../core/pipeline-ports.js';
import { CHANNELS, type IncomingMessage } from '../core/ports.js';
import type { UserKey } from '../core/profile.js';
import type { Sql } from './sql.js';

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
 * The inbox. A message and its platform id are recorded in one transaction; the id (in
 * processed_updates, with no user data) outlives the message, which is removed when its handling
 * commits. A process claims a user's oldest message before handling it; a claim that outlives
 * its lease (the process died) can be taken by another process.
 */
export class InboxRepository implements InboxStore {
  private accepted = 0;
  constructor(private readonly sql: Sql) {}

  async accept(entries: Array<{ message: IncomingMessage; platformId: string; queue: boolean }>, at: Date): Promise<boolean[]> {
    const iso = at.toISOString();
    const fresh = await this.sql.transaction(async (tx) => {
      const out: boolean[] = [];
      for (const { message, platformId, queue } of entries) {
        const seen = await tx.run('INSERT INTO processed_updates (channel, update_id, seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [message.channel, platformId, iso]);
        if (seen === 1 && queue) await tx.run('INSERT INTO inbox (channel, user_id, chat_id, message, received_at) VALUES (?, ?, ?, ?, ?)', [message.channel, message.userId, message.chatId, JSON.stringify(message), iso]);
        out.push(seen === 1);
      }
      return out;
    });
    const before = this.accepted;
    this.accepted += fresh.filter(Boolean).length;
    if (Math.floor(this.accepted / 1000) > Math.floor(before / 1000)) await this.pruneSeen(at);
    return fresh;
  }

  async claimNext(key: UserKey, owner: string, now: Date, until: Date): Promise<InboxEntry | undefined> {
    const row = await this.sql.get<{ id: number; message: string }>(
      `UPDATE inbox SET claimed_by = ?, claim_until = ?
       WHERE id = (SELECT MIN(id) FROM inbox WHERE channel = ? AND user_id = ?) AND (claimed_by IS NULL OR claimed_by = ? OR claim_until <= ?)
       RETURNING id, message`,
      [owner, until.toISOString(), key.channel, key.userId, owner, now.toISOString()],
    );
    if (!row) return undefined;
    const parsed = messageSchema.safeParse(JSON.parse(row.message));
    // A row this version cannot read is handled as an unreadable message (the router answers it).
    const message: IncomingMessage = parsed.success ? stripUndefined(parsed.data) : { channel: key.channel as IncomingMessage['channel'], chatId: key.userId, userId: key.userId, kind: 'other' };
    return { id: row.id, message, claim: owner };
  }

  async pendingCount(key: UserKey): Promise<number> {
    return (await this.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM inbox WHERE channel = ? AND user_id = ?', [key.channel, key.userId]))?.n ?? 0;
  }

  /** Users whose oldest message is free, or held by `owner` itself (the same process before a restart). */
  pendingUsers(now: Date, owner = ''): Promise<UserKey[]> {
    return this.sql.all<UserKey>(
      `SELECT channel, user_id AS "userId" FROM inbox WHERE id IN (SELECT MIN(id) FROM inbox GROUP BY channel, user_id)
       AND (claimed_by IS NULL OR claimed_by = ? OR claim_until <= ?) ORDER BY id`,
      [owner, now.toISOString()],
    );
  }

  /** Removes a handled message inside the commit of its handling; false when the claim is no longer `claim`'s. */
  async completeIn(tx: Sql, id: number, claim: string): Promise<boolean> {
    return (await tx.run('DELETE FROM inbox WHERE id = ? AND claimed_by = ?', [id, claim])) === 1;
  }

  private async pruneSeen(now: Date): Promise<void> {
    try {
      await this.sql.run('DELETE FROM processed_updates WHERE seen_at < ?', [new Date(now.getTime() - SEEN_RETENTION_MS).toISOString()]);
    } catch {
      // pruning is housekeeping: a lock now means it runs next time
    }
  }
}

function stripUndefined(m: z.infer<typeof messageSchema>): IncomingMessage {
  return Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined)) as unknown as IncomingMessage;
}
