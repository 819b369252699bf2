import { normalizeForSearch } from '../retrieval/text-normalize.js';
import type { Programme } from './schema.js';

/** What a sentence says the institution is: one of the programme's applicant kinds, or an exempt kind. */
export type InstitutionKind = { kind: string } | { exemption: string };

/**
 * "我们是XX大学图书馆" → 高校; "我们已经是TISC了" → exempt as TISC. Read from the programme data
 * (applicant kinds with their everyday aliases, exemptions with theirs). An exemption named wins
 * (being one already decides the question); otherwise the name said first wins (大学图书馆 is the
 * university's: 大学 comes before 图书馆).
 */
export function recogniseInstitution(text: string, programme: Programme): InstitutionKind | undefined {
  const t = normalizeForSearch(text);
  const at = (names: string[]): number => Math.min(...names.map((n) => t.indexOf(normalizeForSearch(n))).filter((i) => i >= 0), Infinity);
  const exempt = programme.exemptions
    .map((e) => ({ id: e.id, pos: at([e.label, ...e.aliases]) }))
    .filter((e) => e.pos < Infinity)
    .sort((a, b) => a.pos - b.pos)[0];
  if (exempt) return { exemption: exempt.id };
  const kind = programme.applicants.kinds
    .map((k) => ({ k, pos: at([k, ...(programme.applicants.aliases[k] ?? [])]) }))
    .filter((x) => x.pos < Infinity)
    .sort((a, b) => a.pos - b.pos)[0];
  return kind ? { kind: kind.k } : undefined;
}
