import { z } from 'zod';
import type { ChoiceMemory } from '../core/pipeline-ports.js';
import type { Choice } from '../core/ports.js';
import type { UserKey } from '../core/profile.js';
import type { Sql } from './sql.js';
import { immediateWrites, type Writes } from './unit-of-work.js';

const choicesSchema = z.array(z.object({ value: z.string(), label: z.string() }));

/** The choices the last reply offered each user, so a bare "1" on a text channel can mean one of them. */
export class ChoiceRepository implements ChoiceMemory {
  constructor(
    private readonly sql: Sql,
    private readonly writes: Writes = immediateWrites(sql),
  ) {}

  async get(key: UserKey): Promise<Choice[] | undefined> {
    const staged = this.writes.staged(stageKey(key));
    if (staged) return (staged.value as Choice[] | null) ?? undefined;
    const row = await this.sql.get<{ choices: string }>('SELECT choices FROM offered_choices WHERE channel = ? AND user_id = ?', [key.channel, key.userId]);
    const parsed = row ? choicesSchema.safeParse(JSON.parse(row.choices)) : undefined;
    return parsed?.success ? parsed.data : undefined;
  }

  async set(key: UserKey, choices: Choice[] | undefined, at: Date): Promise<void> {
    const apply = choices?.length
      ? (sql: Sql) =>
          sql.run('INSERT INTO offered_choices (channel, user_id, choices, offered_at) VALUES (?, ?, ?, ?) ON CONFLICT (channel, user_id) DO UPDATE SET choices = excluded.choices, offered_at = excluded.offered_at', [
            key.channel,
            key.userId,
            JSON.stringify(choices),
            at.toISOString(),
          ])
      : (sql: Sql) => sql.run('DELETE FROM offered_choices WHERE channel = ? AND user_id = ?', [key.channel, key.userId]);
    await this.writes.write(apply, { key: stageKey(key), value: choices?.length ? choices : null });
  }
}

const stageKey = (key: UserKey): string => `choices\u0000${key.channel}\u0000${key.userId}`;
