import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareWithAnnex, comparisonReport, docxText } from '../../src/drafts/compare-with-annex.js';
import { renderDraftDocx } from '../../src/drafts/render-draft-docx.js';
import type { FormSchema } from '../../src/programmes/schema.js';
import { ROOT } from '../helpers/paths.js';
import { openQa } from '../helpers/qa.js';

describe('both forms compared part by part with the annexes in the corpus', () => {
  it('every word of every annex part is in the draft, and docs/drafts/comparison.md says so', async () => {
    const qa = await openQa();
    const render = async (form: FormSchema): Promise<string> => {
      const doc = qa.index.docs.find((d) => d.id === form.doc);
      const instructions = doc?.units.filter((u) => u.kind === 'instructions').map((u) => u.text) ?? [];
      return docxText(await renderDraftDocx({ form, values: {}, cover: {} }, instructions));
    };
    const rows = [];
    for (const form of qa.catalog.forms) {
      const doc = qa.index.docs.find((d) => d.id === form.doc);
      if (!doc) throw new Error(`no document ${form.doc}`);
      const parts = compareWithAnnex(await render(form), doc, form);
      expect(parts.length, form.id).toBeGreaterThanOrEqual(4);
      expect(parts.filter((p) => p.missing.length > 0), form.id).toEqual([]);
      rows.push({ form, parts });

      // The comparison notices a part the draft gets wrong (a signature line worded otherwise).
      const altered: FormSchema = { ...form, sections: form.sections.map((s) => ({ ...s, signature: false })) };
      expect(compareWithAnnex(await render(altered), doc, altered).some((p) => p.missing.length > 0)).toBe(true);
    }
    expect(readFileSync(path.join(ROOT, 'docs', 'drafts', 'comparison.md'), 'utf8').trim()).toBe(comparisonReport(rows).trim());
  });
});
