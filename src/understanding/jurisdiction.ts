import { profilePlace, type InstitutionProfile } from '../core/profile.js';
import type { PolicyDocument } from '../corpus/types.js';
import { normalizeForSearch } from '../retrieval/text-normalize.js';

/**
 * China's provincial-level divisions (geography, not policy): a question about another
 * province's rules is not covered by a corpus that holds only national texts and the
 * provinces whose documents it has.
 */
export const PROVINCES = [
  '北京', '天津', '上海', '重庆', '河北', '山西', '辽宁', '吉林', '黑龙江', '江苏', '浙江', '安徽', '福建', '江西', '山东', '河南',
  '湖北', '湖南', '广东', '海南', '四川', '贵州', '云南', '陕西', '甘肃', '青海', '台湾', '内蒙古', '广西', '西藏', '宁夏', '新疆', '香港', '澳门',
];

/**
 * The provinces the corpus may speak of: those it has documents of, and any its texts mention
 * (a national plan naming a province may say something about it, so it is not ruled out).
 */
export function coveredProvinces(docs: PolicyDocument[]): Set<string> {
  const out = new Set<string>();
  for (const d of docs) {
    const text = d.text.replace(/\s/g, '');
    for (const p of PROVINCES) if (!out.has(p) && ((d.meta.issuer ?? '').startsWith(p) || d.title.startsWith(p) || text.includes(p))) out.add(p);
    if (out.size === PROVINCES.length) break;
  }
  return out;
}

/**
 * A province the question asks about whose rules the corpus does not hold: 浙江省级网点… .
 * A province named only as a place (去北京送材料) still counts: the corpus says nothing about it.
 * Names inside longer corpus words (北京 in a national body's address) are not checked here.
 */
export function uncoveredProvince(question: string, covered: Set<string>): string | undefined {
  const q = normalizeForSearch(question);
  return PROVINCES.find((p) => !covered.has(p) && q.includes(p));
}

/** The province an institution's profile places it in (省份, 地址, 推荐部门), if any: reports count by it. */
export function profileRegion(profile: InstitutionProfile): string | undefined {
  const place = profilePlace(profile);
  return place ? provinceIn(place) : undefined;
}

/** The province a text names (地址 广州市天河区…, 我们是浙江的): the first one found, by short name. */
export function provinceIn(text: string): string | undefined {
  const t = normalizeForSearch(text);
  let best: { p: string; at: number } | undefined;
  for (const p of PROVINCES) {
    const at = t.indexOf(p);
    if (at >= 0 && (!best || at < best.at)) best = { p, at };
  }
  return best?.p;
}
