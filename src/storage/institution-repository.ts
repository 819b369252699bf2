import { createHash } from 'node:crypto';
import { profileSchema, type InstitutionProfile } from '../core/profile.js';
import type { Sql } from './sql.js';

export interface InstitutionSummary {
  /** a pseudonym (hash of channel and user id): the console shows no one's id */
  ref: string;
  programme?: string;
  /** the dates the profile holds (备案/认定日期 …), by the programme data's keys */
  dates: Record<string, string>;
  /** the province only (an address is more than a report needs) */
  region?: string;
  nextDeadline?: { label: string; due: string };
  nudges: { scheduled: number; sent: number; failed: number };
  failedNudges: Array<{ id: number; label: string; due: string }>;
}

const pseudonym = (channel: string, userId: string): string => createHash('sha256').update(`${channel}\u0000${userId}`).digest('hex').slice(0, 10);

/** Institutions that gave a profile, their deadlines and the state of their reminders, for operators. */
export class InstitutionRepository {
  constructor(private readonly sql: Sql) {}

  async list(regionOf: (profile: InstitutionProfile) => string | undefined, limit = 500): Promise<InstitutionSummary[]> {
    const profiles = await this.sql.all<{ channel: string; userId: string; data: string }>('SELECT channel, user_id AS "userId", data FROM profiles ORDER BY updated_at DESC LIMIT ?', [limit]);
    const nudgeRows = await this.sql.all<{ id: number; channel: string; userId: string; due: string; status: string; payload: string }>(
      `SELECT id, channel, user_id AS "userId", due_date AS due, status, payload FROM nudges WHERE status IN ('pending', 'queued', 'sent', 'failed') ORDER BY due_date`,
    );
    const byUser = new Map<string, typeof nudgeRows>();
    for (const n of nudgeRows) byUser.set(`${n.channel}\u0000${n.userId}`, [...(byUser.get(`${n.channel}\u0000${n.userId}`) ?? []), n]);
    return profiles.flatMap((p) => {
      const parsed = profileSchema.safeParse(JSON.parse(p.data));
      if (!parsed.success) return [];
      const profile = parsed.data;
      if (!profile.programme && Object.keys(profile.dates).length === 0) return [];
      const nudges = byUser.get(`${p.channel}\u0000${p.userId}`) ?? [];
      const label = (payload: string): string => (JSON.parse(payload) as { label?: string }).label ?? '';
      const upcoming = nudges.find((n) => n.status === 'pending' || n.status === 'queued');
      const region = regionOf(profile);
      return [
        {
          ref: pseudonym(p.channel, p.userId),
          ...(profile.programme ? { programme: profile.programme } : {}),
          dates: Object.fromEntries(Object.entries(profile.dates).filter((e): e is [string, string] => typeof e[1] === 'string')),
          ...(region ? { region } : {}),
          ...(upcoming ? { nextDeadline: { label: label(upcoming.payload), due: upcoming.due } } : {}),
          nudges: {
            scheduled: nudges.filter((n) => n.status === 'pending' || n.status === 'queued').length,
            sent: nudges.filter((n) => n.status === 'sent').length,
            failed: nudges.filter((n) => n.status === 'failed').length,
          },
          failedNudges: nudges.filter((n) => n.status === 'failed').map((n) => ({ id: n.id, label: label(n.payload), due: n.due })),
        },
      ];
    });
  }

  /** a failed nudge goes back into the outbox (its row kept as failed) for another delivery */
  resend(nudgeId: number): Promise<boolean> {
    return this.sql.transaction(async (tx) => {
      const n = await tx.run(`UPDATE outbox SET status = 'pending', attempts = 0, not_before = NULL, lease_until = NULL, last_error = NULL WHERE nudge_id = ? AND status = 'failed'`, [nudgeId]);
      if (n > 0) await tx.run(`UPDATE nudges SET status = 'queued' WHERE id = ? AND status = 'failed'`, [nudgeId]);
      return n > 0;
    });
  }
}
