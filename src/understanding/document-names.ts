import type { PolicyDocument } from '../corpus/types.js';
import { normalizeForSearch } from '../retrieval/text-normalize.js';

/** A way of naming one document in a question, with how surely it points at that document (0..1]. */
export interface DocumentName {
  term: string;
  weight: number;
}

export interface DocumentNames {
  doc: string;
  names: DocumentName[];
}

/** Something that belongs to one document and is named by its keywords (a programme of the data). */
export interface NamedProgramme {
  id: string;
  doc: string;
  keywords: string[];
}

/** How surely a programme's keyword names its document (half a title's own name). */
const PROGRAMME_KEYWORD_WEIGHT = 0.5;

/** How many times more often its own document must use a title word than the others do for it to be a name. */
const DISTINCTIVE_RATIO = 3;

/** Genre words a title ends with: staff name a document by them (办法, 指引, 规划 …). */
const GENRE_RE = /(实施办法|办法|工作指引|指引|指导意见|意见|规划|实施计划|计划|通知|方案|规定|细则)$/;

/**
 * How staff can name each document, derived from the manifest and the programme data rather than
 * listed by hand: the title's genre word (办法, 指引, 规划 …) and the words only its title has, the
 * issuing province (广东), the document number (22号), and the keywords of the programme it governs.
 * A name shared by several documents counts for each in proportion (1 / how many share it).
 */
export function deriveDocumentNames(docs: PolicyDocument[], programmes: NamedProgramme[], words: (text: string) => string[], tagged: (text: string) => Array<{ word: string; tag: string }>): DocumentNames[] {
  // The title's own words as jieba cuts it (not search-mode fragments such as 合性), without
  // prepositions, conjunctions, particles, adverbs and pronouns (关于 names nothing).
  const nameWords = (title: string): string[] => tagged(title).filter(({ word, tag }) => [...word].length >= 2 && !/^(p|c|u|d|r|e|y|o)/.test(tag)).map(({ word }) => word);
  const titleWords = new Map(docs.map((d) => [d.id, new Set(nameWords(bareTitle(d.title)))]));
  const issuerWords = new Set(docs.flatMap((d) => (d.meta.issuer ? words(d.meta.issuer) : [])));
  const titled = new Map<string, number>();
  for (const set of titleWords.values()) for (const w of set) titled.set(w, (titled.get(w) ?? 0) + 1);
  const sharedBy = (w: string): number => titled.get(w) ?? 0;
  // How many units of each document use each title word, counted once per word over all units
  // (a corpus of thousands of documents: per document and word over every unit would be quadratic).
  const unitTexts = docs.map((d) => d.units.map((u) => normalizeForSearch(u.text)));
  const allUnits = unitTexts.reduce((n, t) => n + t.length, 0);
  const usage = new Map<string, number[]>();
  const usesOf = (w: string): number[] => {
    let counts = usage.get(w);
    if (!counts) {
      counts = unitTexts.map((texts) => texts.reduce((n, t) => n + (t.includes(w) ? 1 : 0), 0));
      usage.set(w, counts);
    }
    return counts;
  };
  /** A title word names its document when that document uses it much more than the others do (地市级, 规划; not 工作, 实施, 全面). */
  const distinctive = (w: string, own: number): boolean => {
    const counts = usesOf(w);
    const ownUnits = unitTexts[own]?.length ?? 0;
    const ownShare = ownUnits === 0 ? 0 : (counts[own] ?? 0) / ownUnits;
    const otherUnits = allUnits - ownUnits;
    const otherShare = otherUnits === 0 ? 0 : (counts.reduce((n, c) => n + c, 0) - (counts[own] ?? 0)) / otherUnits;
    return ownShare >= DISTINCTIVE_RATIO * otherShare;
  };
  return docs.map((d, di) => {
    const names = new Map<string, number>();
    const add = (term: string, weight: number): void => {
      const t = normalizeForSearch(term);
      if ([...t].length >= 2) names.set(t, Math.max(names.get(t) ?? 0, weight));
    };
    const genre = GENRE_RE.exec(bareTitle(d.title))?.[1];
    if (genre) {
      add(genre, 1);
      if (genre.length > 2) add(genre.slice(-2), 1);
    }
    // Words of the title that the issuers' names do not explain (国家知识产权局 names an issuer, not this
    // text) and that are its own vocabulary (工作 in 工作指引 names nothing).
    for (const w of titleWords.get(d.id) ?? []) {
      if (!issuerWords.has(w) && sharedBy(w) < docs.length && distinctive(w, di)) add(w, 1 / sharedBy(w) ** 2);
    }
    const province = /^(.{2,3}?)(省|自治区)/.exec(d.meta.issuer ?? '')?.[1];
    if (province) {
      add(province, 1);
      add(`${province}省`, 1);
    }
    const number = /〔\d{4}〕(\d+)号/.exec(d.meta.documentNumber ?? '')?.[1];
    if (number) add(`${number}号`, 1);
    for (const p of programmes.filter((p) => p.doc === d.id)) for (const k of p.keywords) add(k, PROGRAMME_KEYWORD_WEIGHT);
    // Short and English names are reviewed data from the manifest (十四五规划; the 14th FYP).
    for (const n of [...(d.meta.names ?? []), ...(d.meta.namesEn ?? [])]) add(n, 1);
    return { doc: d.id, names: [...names].map(([term, weight]) => ({ term, weight })).sort((a, b) => b.term.length - a.term.length) };
  });
}

/** The title without its bracketed edition or years: 实施办法（修订） → 实施办法. */
function bareTitle(title: string): string {
  return title.replace(/[（(][^）)]*[）)]\s*$/, '').replace(/[“”"]/g, '');
}

/**
 * Which documents a question names, each with a weight in [0, 1] (the strongest name found; a
 * longer name found hides the shorter ones inside it, so 网点备案表 is not also 网点).
 */
export function namedDocuments(question: string, all: DocumentNames[]): Map<string, number> {
  const q = normalizeForSearch(question);
  const found = [...byTerm(all)].filter(([term]) => q.includes(term));
  const out = new Map<string, number>();
  for (const [term, holders] of found) {
    // A name inside a longer name the question uses for another document is that document's (规划 in 十四五规划).
    const longer = new Set(found.filter(([o]) => o !== term && o.includes(term)).flatMap(([, hs]) => hs.map((h) => h.doc)));
    for (const h of holders) {
      const hidden = [...longer].some((doc) => doc !== h.doc);
      if (!hidden) out.set(h.doc, Math.max(out.get(h.doc) ?? 0, h.weight));
    }
  }
  return out;
}

/** Every name → the documents it names, with weights (once per corpus: thousands of documents share a few hundred names). */
function byTerm(all: DocumentNames[]): Map<string, Array<{ doc: string; weight: number }>> {
  const known = termIndex.get(all);
  if (known) return known;
  const out = new Map<string, Array<{ doc: string; weight: number }>>();
  for (const d of all) {
    for (const n of d.names) {
      const list = out.get(n.term);
      if (list) list.push({ doc: d.doc, weight: n.weight });
      else out.set(n.term, [{ doc: d.doc, weight: n.weight }]);
    }
  }
  termIndex.set(all, out);
  return out;
}
const termIndex = new WeakMap<DocumentNames[], Map<string, Array<{ doc: string; weight: number }>>>();

/**
 * The English document names a question uses (longest first), to be left out when judging what it
 * asks about: a Chinese name's words are in the cited clause's title, an English one's never are.
 */
export function namesUsed(question: string, all: DocumentNames[]): string[] {
  const q = normalizeForSearch(question);
  // A programme's keyword (outlet, city-level) names what is asked about, not only where: it stays.
  const textNames = [...byTerm(all)].filter(([, holders]) => holders.some((h) => h.weight > PROGRAMME_KEYWORD_WEIGHT)).map(([t]) => t);
  const terms = textNames.filter((t) => /[a-z]/.test(t) && q.includes(t));
  return terms.sort((a, b) => b.length - a.length);
}

/** The names of every document but `keep`, for removing a programme from a question re-asked for another. */
export function otherDocumentNames(all: DocumentNames[], keep: string): string[] {
  return all.filter((d) => d.doc !== keep).flatMap((d) => d.names.filter((n) => n.weight >= 0.5).map((n) => n.term));
}

/**
 * A programme's keywords and the everyday words the lexicon reads as one of them (地市中心 →
 * 地市级综合性知识产权公共服务机构): staff name a programme the way they say it.
 */
export function withColloquialNames(keywords: string[], synonyms: ReadonlyMap<string, string[]>): string[] {
  const known = new Set(keywords.map((k) => normalizeForSearch(k)));
  const colloquial = [...synonyms].filter(([, values]) => values.some((v) => known.has(normalizeForSearch(v)))).map(([key]) => key);
  return [...keywords, ...colloquial];
}
