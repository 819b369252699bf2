import type { DocumentMeta } from '../corpus/types.js';
import { PROVINCES } from './jurisdiction.js';

/**
 * Where and when a document applies, from its manifest entry: which documents are in force on a
 * date (a repealed or not yet effective one is not), and how well a document's jurisdiction fits
 * the asker (their region's documents first, then the national ones, others last). Documents
 * without these fields are national and always in force, as the seed corpus was before it had them.
 */

/** The region a national document names in the manifest. */
export const NATIONAL_REGION = '全国';

/** A national document: by its level when the manifest gives one, else by its region (none, or 全国). */
export function isNational(meta: DocumentMeta): boolean {
  if (meta.level !== undefined) return meta.level === 'national';
  return meta.region === undefined || meta.region === NATIONAL_REGION;
}

/**
 * The ids of the documents not in force on `date` (YYYY-MM-DD): not yet effective, expired, or
 * repealed by a document that is itself effective by then.
 */
export function notInForce(metas: readonly DocumentMeta[], date: string): Set<string> {
  const effectiveBy = (m: DocumentMeta): boolean => m.effective === undefined || m.effective <= date;
  const out = new Set<string>();
  for (const m of metas) {
    if (!effectiveBy(m) || (m.expires !== undefined && m.expires < date)) out.add(m.id);
    if (effectiveBy(m)) for (const id of m.repeals ?? []) out.add(id);
  }
  return out;
}

/** Who repealed a document by `date`, for the note on a citation of it. */
export function repealedBy(metas: readonly DocumentMeta[], id: string, date: string): DocumentMeta | undefined {
  return metas.find((m) => (m.repeals ?? []).includes(id) && (m.effective === undefined || m.effective <= date));
}

/**
 * How well a document's jurisdiction fits the question: 1 for the asker's region (named in the
 * question, else where their profile places them), NATIONAL_FIT for a national document (it applies
 * everywhere); another region's document by its reach, a province's (0.25) before a city's (0.1),
 * when nothing else tells which the asker means.
 */
export const NATIONAL_FIT = 0.5;

export function jurisdictionFit(meta: DocumentMeta, region: string | undefined): number {
  if (region !== undefined && meta.region === region) return 1;
  if (isNational(meta)) return NATIONAL_FIT;
  return meta.level === 'city' ? 0.1 : 0.25;
}

/** Counterpart documents (the same instrument issued by several offices) and how each fits the asker. */
export interface Counterparts {
  /** document id → the instrument it is an edition of (documents with counterparts only) */
  family: ReadonlyMap<string, string>;
  /** document id → jurisdiction fit for this asker (same documents) */
  fit: ReadonlyMap<string, number>;
  /** the documents that apply to this asker for certain: their region's and the national ones */
  preferred: ReadonlySet<string>;
}

/**
 * Documents with counterparts, the same instrument issued by other offices (titles equal once the
 * issuing place, 国家, the years and 修订 are taken out), with their fit for an asker in `region`.
 * Between the same clause in counterparts the asker's region decides; a document without
 * counterparts is ranked by its words alone.
 */
export function counterparts(metas: readonly DocumentMeta[], region: string | undefined): Counterparts {
  const families = new Map<string, DocumentMeta[]>();
  for (const m of metas) {
    const key = instrumentKey(m.title);
    const list = families.get(key);
    if (list) list.push(m);
    else families.set(key, [m]);
  }
  const family = new Map<string, string>();
  const fit = new Map<string, number>();
  const preferred = new Set<string>();
  for (const [key, members] of families) {
    if (members.length < 2) continue;
    for (const m of members) {
      family.set(m.id, key);
      const f = jurisdictionFit(m, region);
      fit.set(m.id, f);
      if (f >= NATIONAL_FIT) preferred.add(m.id);
    }
  }
  return { family, fit, preferred };
}

const PLACE_NAME = new RegExp(`(${PROVINCES.join('|')})(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)?`, 'g');

/** A title without who issued it and when: 浙江省…网点备案实施办法（修订） → …网点备案实施办法. */
export function instrumentKey(title: string): string {
  return title
    .replace(/[（(][^）)]*(\d{4}|修订)[^）)]*[）)]/g, '')
    .replace(PLACE_NAME, '')
    .replace(/^[\u4e00-\u9fff]{2,3}市(?!场)/, '')
    .replace(/国家|地市级|省级|市级/g, '')
    .replace(/\d{4}年?/g, '')
    .replace(/\s+/g, '');
}
