import type { Citation } from '../answer/types.js';
import type { PolicyDocument } from '../corpus/types.js';
import { normalizeForSearch } from '../retrieval/text-normalize.js';
import type { ProgrammeData } from './load-programmes.js';
import type { FormSchema, Programme, Source } from './schema.js';

/** The programmes, their forms and dated facts, with document titles for citations. */
export interface ProgrammeCatalog {
  programmes: Programme[];
  forms: FormSchema[];
  data: ProgrammeData;
  byId(id: string): Programme | undefined;
  formFor(programme: Programme): FormSchema;
  /** programmes whose keywords the text mentions, best match first */
  mentioned(text: string): Programme[];
  cite(source: Source): Citation;
  /**
   * The reviewed English summary of a clause: its own, else the one of the item whose words the
   * quoted sentence contains (an article quoted whole), else its article's (an item quoted alone).
   */
  englishSummary(doc: string, label: string, sentence: string): string | undefined;
}

export function createCatalog(data: ProgrammeData, docs: PolicyDocument[]): ProgrammeCatalog {
  const titles = new Map(docs.map((d) => [d.id, d.title]));
  return {
    programmes: data.programmes,
    forms: data.forms,
    data,
    byId: (id) => data.programmes.find((p) => p.id === id),
    englishSummary(doc, label, sentence) {
      const mine = data.summaries.filter((s) => s.source.doc === doc);
      const own = mine.find((s) => s.source.article === label);
      if (own) return own.en;
      const items = mine.filter((s) => s.source.article.startsWith(label));
      const said = normalizeForSearch(sentence);
      const item = items.find((s) => said.includes(normalizeForSearch(s.source.quote))) ?? items[0];
      if (item) return item.en;
      return mine.find((s) => label.startsWith(s.source.article))?.en;
    },
    formFor(programme) {
      const form = data.forms.find((f) => f.id === programme.form);
      if (!form) throw new Error(`form ${programme.form} missing`); // loadProgrammes guarantees it
      return form;
    },
    mentioned(text) {
      const t = normalizeForSearch(text);
      return data.programmes
        // Chinese keywords, and the English ones (/register outlet)
        .map((p) => ({ p, hits: [...p.keywords, ...(p.en?.keywords ?? [])].filter((k) => t.includes(normalizeForSearch(k))).reduce((s, k) => s + k.length, 0) }))
        .filter((x) => x.hits > 0)
        .sort((a, b) => b.hits - a.hits)
        .map((x) => x.p);
    },
    cite: (source) => ({ doc: source.doc, title: titles.get(source.doc) ?? source.doc, article: source.article, quote: source.quote }),
  };
}
