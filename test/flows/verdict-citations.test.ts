import { beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/load-corpus.js';
import { quoteIsAt } from '../../src/corpus/resolve-locator.js';
import type { PolicyDocument } from '../../src/corpus/types.js';
import { loadDialogueTexts, type DialogueTexts } from '../../src/flows/dialogue-text.js';
import { renderExemption, renderVerdict } from '../../src/flows/self-check-verdict.js';
import { createCatalog, type ProgrammeCatalog } from '../../src/programmes/catalog.js';
import { evaluateEligibility } from '../../src/programmes/evaluate-eligibility.js';
import { loadProgrammes } from '../../src/programmes/load-programmes.js';
import { CORPUS_DIR } from '../helpers/paths.js';

let docs: PolicyDocument[];
let catalog: ProgrammeCatalog;
const texts: DialogueTexts = loadDialogueTexts();
beforeAll(async () => {
  docs = await loadCorpus(CORPUS_DIR);
  catalog = createCatalog(await loadProgrammes(CORPUS_DIR), docs);
});

describe('self-check verdicts cite verbatim corpus text', () => {
  it('every citation of every verdict resolves at its clause', () => {
    for (const programme of catalog.programmes) {
      const answers = Object.fromEntries(programme.criteria.map((c, i) => [c.id, i % 3 === 0 ? null : c.answer.type === 'number' ? c.answer.min - 1 : c.answer.type === 'boolean' ? true : (c.answer.options[0]?.value ?? null)]));
      const verdict = evaluateEligibility(catalog, programme, answers);
      expect(verdict.notMet.length + verdict.unanswered.length).toBeGreaterThan(0);
      for (const lang of ['zh', 'en'] as const) {
        const rendered = renderVerdict(catalog, verdict, lang, texts[lang]);
        expect(rendered.citations.length).toBeGreaterThanOrEqual(programme.criteria.length);
        for (const c of rendered.citations) expect(quoteIsAt(docs, c.doc, c.article, c.quote), `${c.doc} ${c.article} ${c.quote}`).toBe(true);
      }
    }
    const outlet = catalog.byId('outlet-filing');
    if (!outlet) throw new Error('outlet programme missing');
    for (const exemption of outlet.exemptions) {
      for (const c of renderExemption(catalog, outlet, exemption, 'zh', texts.zh).citations) expect(quoteIsAt(docs, c.doc, c.article, c.quote)).toBe(true);
    }
  });

  it('evaluates numbers against the required minimum and reports unanswered criteria', () => {
    const city = catalog.byId('city-center');
    if (!city) throw new Error('city programme missing');
    const v = evaluateEligibility(catalog, city, { team: true, staff: 1 });
    expect(v.eligible).toBe(false);
    expect(v.notMet.map((r) => [r.criterion.id, r.value])).toEqual([['staff', 1]]);
    expect(v.unanswered.map((r) => r.criterion.id)).toContain('annual-training');
    // The verdict says what is required and what was given, in the user's language.
    expect(renderVerdict(catalog, v, 'zh', texts.zh).text).toContain('要求：2 名及以上；您的回答：1 名');
    expect(renderVerdict(catalog, v, 'en', texts.en).text).toContain('required: at least 2; your answer: 1');
  });
});
