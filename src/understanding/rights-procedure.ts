import type { PolicyDocument } from '../corpus/types.js';
import type { Programme } from '../programmes/schema.js';
import { normalizeForSearch } from '../retrieval/text-normalize.js';

/**
 * Questions about obtaining or keeping an IP right (商标续展, 发明专利优先审查, 布图设计登记, a Madrid
 * trademark registration) belong to the patent and trademark offices' procedures, which these
 * policies do not regulate: they regulate public service institutions. Such a question is
 * "not covered", however many of its words a clause shares (a clause listing 专利、商标、地理标志
 * as the fields an outlet serves is not an answer to how one registers a trademark).
 */
export interface RightsProcedures {
  /** the IP right categories the corpus lists (专利、商标、地理标志、集成电路布图设计) */
  categories: string[];
  /** the question asks how to do something to an IP right, and names no public service body */
  asksRightsProcedure(question: string, bodies: readonly string[], english: ReadonlyMap<string, string[]>): boolean;
}

/**
 * What the patent and trademark offices do to a right (domain knowledge of IP administration, not of
 * these policies): applying, registering, examining, renewing, opposing, invalidating, paying for,
 * transferring, licensing and pledging it. Words the corpus uses for its own procedures (备案, 推荐,
 * 认定) are not here: they are what the policies regulate.
 */
const RIGHT_PROCEDURES = ['申请', '注册', '登记', '审查', '复审', '续展', '异议', '无效', '驳回', '授权', '缴费', '年费', '转让', '许可', '质押', '预审', '撤销'];

/** The categories every list of IP rights starts with; the rest of a category list is read from the corpus. */
const SEED_CATEGORIES = ['专利', '商标'];

/**
 * The international filing systems, named by their treaties: a PCT application is a patent one, a
 * Madrid registration a trademark one, a Hague deposit a design one (IP administration, not these texts).
 */
const INTERNATIONAL_SYSTEMS = ['pct', '马德里', '海牙'];

/** At most this many characters between a right and its procedure (发明专利优先审查, 地理标志专用标志使用申请). */
const MAX_GAP = 8;

export function buildRightsProcedures(docs: readonly PolicyDocument[], lastWord: (text: string) => string): RightsProcedures {
  const categories = [...rightCategories(docs, lastWord), ...INTERNATIONAL_SYSTEMS];
  const pattern = new RegExp(`(${categories.map(escape).join('|')})[^，。？！?!,；;、]{0,${MAX_GAP}}?(${RIGHT_PROCEDURES.join('|')})`);
  return {
    categories,
    asksRightsProcedure(question, bodies, english) {
      const text = /[\u4e00-\u9fff]/.test(question) ? normalizeForSearch(question) : readEnglish(question, english);
      const asked = pattern.exec(text)?.[0];
      if (asked === undefined) return false;
      // 网点能帮企业办商标注册吗 asks about an outlet's services: the policies' subject. A body word
      // inside the procedure itself (登记 of 布图设计登记) names no body.
      const rest = text.replace(asked, '·');
      return !bodies.some((b) => rest.includes(normalizeForSearch(b)));
    },
  };
}

/**
 * The public service bodies a programme's data names: its keywords and its exemptions' names, less the
 * programme's own procedure (the last word of 网点备案, 地市级综合性机构登记), which names no body.
 */
export function programmeBodies(programmes: readonly Programme[], words: (text: string) => string[]): string[] {
  return programmes.flatMap((p) => {
    const procedure = words(p.short_name).at(-1);
    return [...p.keywords.filter((k) => k !== procedure), ...p.exemptions.flatMap((e) => [e.label, ...e.aliases])];
  });
}

/**
 * The corpus's own lists of IP right categories: the items enumerated together with 专利 and 商标
 * (专利、商标、地理标志以及集成电路布图设计等). The first item may carry the words before it
 * (提供专利), so only its last word counts.
 */
function rightCategories(docs: readonly PolicyDocument[], lastWord: (text: string) => string): string[] {
  const found = new Set(SEED_CATEGORIES);
  for (const doc of docs) {
    const text = doc.text.replace(/\s+/g, '');
    for (const m of text.matchAll(/[\u4e00-\u9fff]{1,12}(?:、[\u4e00-\u9fff]{1,16}){2,}/g)) {
      const [first = '', ...more] = m[0].split('、');
      const last = (more.pop() ?? '').replace(/等.*$/, '').split(/以及|和/);
      const items = [lastWord(first), ...more, ...last];
      if (!SEED_CATEGORIES.every((s) => items.includes(s))) continue;
      for (const item of items) if ([...item].length >= 2 && [...item].length <= 10) found.add(item);
    }
  }
  return [...found];
}

/** An English question word by word in the glossary's Chinese (trademark registration → 商标登记). */
function readEnglish(question: string, english: ReadonlyMap<string, string[]>): string {
  return question
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter(Boolean)
    .map((w) => english.get(w)?.[0] ?? english.get(w.replace(/s$/, ''))?.[0] ?? '·')
    .join('');
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
