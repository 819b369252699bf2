import type { Logger } from '../core/logger.js';
import { emptyProfile, profileSchema, type InstitutionProfile, type UserKey } from '../core/profile.js';
import type { Sql } from './sql.js';
import { immediateWrites, type Writes } from './unit-of-work.js';

export interface StoredProfile extends UserKey {
  chatId: string;
  profile: InstitutionProfile;
}

/** Institution profiles per user (the chat id is kept so nudges know where to go). */
export class ProfileRepository {
  constructor(
    private readonly sql: Sql,
    private readonly logger: Logger,
    private readonly writes: Writes = immediateWrites(sql),
  ) {}

  async get(key: UserKey): Promise<InstitutionProfile> {
    const staged = this.writes.staged(stageKey(key));
    if (staged) return (staged.value as InstitutionProfile | null) ?? emptyProfile();
    const row = await this.sql.get<{ data: string }>('SELECT data FROM profiles WHERE channel = ? AND user_id = ?', [key.channel, key.userId]);
    if (!row) return emptyProfile();
    const parsed = profileSchema.safeParse(JSON.parse(row.data));
    if (parsed.success) return parsed.data;
    this.logger.warn('unreadable profile, starting empty', { channel: key.channel, issue: parsed.error.issues[0]?.message });
    return emptyProfile();
  }

  async save(key: UserKey & { chatId: string }, profile: InstitutionProfile, now: Date): Promise<void> {
    const valid = profileSchema.parse(profile);
    await this.writes.write(
      (sql) =>
        sql.run(
          'INSERT INTO profiles (channel, user_id, chat_id, data, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel, user_id) DO UPDATE SET chat_id = excluded.chat_id, data = excluded.data, updated_at = excluded.updated_at',
          [key.channel, key.userId, key.chatId, JSON.stringify(valid), now.toISOString()],
        ),
      { key: stageKey(key), value: valid },
    );
  }

  /**
   * Every profile, for the reminder scheduler. It reads them all every day and they rarely change:
   * a profile whose stored text is unchanged is not parsed and validated again (read-only use).
   */
  async all(): Promise<StoredProfile[]> {
    const rows = await this.sql.all<{ channel: string; userId: string; chatId: string; data: string }>('SELECT channel, user_id AS "userId", chat_id AS "chatId", data FROM profiles');
    if (this.parsed.size > 2 * rows.length + 1000) this.parsed.clear();
    return rows.flatMap((r) => {
      const known = this.parsed.get(r.data);
      if (known) return [{ channel: r.channel, userId: r.userId, chatId: r.chatId, profile: known }];
      const parsed = profileSchema.safeParse(JSON.parse(r.data));
      if (!parsed.success) return [];
      this.parsed.set(r.data, parsed.data);
      return [{ channel: r.channel, userId: r.userId, chatId: r.chatId, profile: parsed.data }];
    });
  }

  /** stored text → parsed profile, for all() */
  private readonly parsed = new Map<string, InstitutionProfile>();
}

const stageKey = (key: UserKey): string => `profile\u0000${key.channel}\u0000${key.userId}`;
