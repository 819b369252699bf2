import type { Reply } from './ports.js';
import type { UserKey } from './profile.js';

export interface AdminDeps {
  /** channel:userId of operators */
  admins: Set<string>;
  stats(): Promise<{ questions: number; refused: number; users: number; unanswered: Array<{ question: string; askedAt: string }> }>;
  reindex(): Promise<string>;
  adminOnly: string;
}

/** /stats and /reindex for operators; everyone else is told the command is for admins. */
export function createAdminCommands(deps: AdminDeps) {
  const isAdmin = (key: UserKey): boolean => deps.admins.has(`${key.channel}:${key.userId}`);
  return {
    async stats(key: UserKey): Promise<Reply[]> {
      if (!isAdmin(key)) return [{ text: deps.adminOnly }];
      const s = await deps.stats();
      const rate = s.questions > 0 ? Math.round((s.refused / s.questions) * 100) : 0;
      const recent = s.unanswered.slice(0, 10).map((u) => `· ${u.askedAt.slice(0, 10)} ${u.question}`);
      return [{ text: [`用户：${s.users}`, `提问：${s.questions}`, `未能回答：${s.refused}（${rate}%）`, ...(recent.length > 0 ? ['最近未能回答的问题：', ...recent] : [])].join('\n') }];
    },
    async reindex(key: UserKey): Promise<Reply[]> {
      if (!isAdmin(key)) return [{ text: deps.adminOnly }];
      return [{ text: await deps.reindex() }];
    },
  };
}
