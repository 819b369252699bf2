/** Where a unit of policy text sits in its document. `label` is the locator as a reader writes it. */
export interface Locator {
  doc: string;
  title: string;
  /** e.g. 第二章 条件和程序 */
  chapter?: string;
  /** 第五条 / 二、（五） / 附件 备案表 二、工作基础和优势特点 / 附件 填表说明 三 */
  article: string;
  /** 第（一）项 when the unit is one item of an article */
  item?: string;
  /** reader-facing locator: article + item, e.g. 第五条第（一）项 */
  label: string;
}

/** One structural unit (article, item, section, form section, table row) with its verbatim text. */
export interface StructuralUnit {
  locator: Locator;
  /** verbatim text as cleaned (noise removed, wrapped lines joined) */
  text: string;
  /** headings from the document down to this unit, for search and display */
  headingPath: string[];
  /** the unit is the lead-in of an article whose items follow as their own units */
  kind: 'article' | 'item' | 'section' | 'form' | 'instructions' | 'table-row' | 'paragraph';
}

export interface PolicyDocument {
  id: string;
  title: string;
  /** cleaned full text, one paragraph per line */
  text: string;
  units: StructuralUnit[];
  meta: DocumentMeta;
}

export interface DocumentMeta {
  id: string;
  title: string;
  issuer?: string | undefined;
  year?: number | undefined;
  documentNumber?: string | undefined;
  source?: string | undefined;
  /** the title in English (manifest title_en) */
  titleEn?: string | undefined;
  /** how English-speaking staff name the document (manifest names_en, lower case) */
  namesEn?: string[];
  /** short names staff use beyond the title's own words (manifest names: 十四五规划) */
  names?: string[];
  /** 全国, or the province (short name) the document applies in */
  region?: string | undefined;
  level?: 'national' | 'provincial' | 'city' | undefined;
  /** YYYY-MM-DD: in force from (effective, else issued, else published) */
  effective?: string | undefined;
  expires?: string | undefined;
  /** ids of the corpus documents it repeals */
  repeals?: string[];
}

/** A retrievable piece: one unit or part of one, with search text that includes its heading path. */
export interface Chunk {
  id: string;
  locator: Locator;
  text: string;
  searchText: string;
  headingPath: string[];
  /** the structural kind of the unit it comes from (article, form, instructions …) */
  kind: StructuralUnit['kind'];
}
