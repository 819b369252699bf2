import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { renderDraftDocx } from '../../src/drafts/render-draft-docx.js';
import { docxProblem } from '../../src/drafts/validate-docx.js';
import { openQa } from '../helpers/qa.js';

describe('every draft is validated before it is sent', () => {
  it('passes a rendered draft, even with control characters pasted into a value, and catches a broken one', async () => {
    const qa = await openQa();
    const programme = qa.catalog.programmes[0];
    if (!programme) throw new Error('no programme in the corpus');
    const form = qa.catalog.formFor(programme);
    const values = Object.fromEntries(form.sections.flatMap((s) => s.fields).map((f) => [f.id, f.type === 'count' ? 3 : `内容\u000B${f.label}`]));
    const good = await renderDraftDocx({ form, values, cover: { institution: '某某大学\u0007' } }, ['一、说明']);
    expect(await docxProblem(good)).toBeUndefined();

    const zip = await JSZip.loadAsync(good);
    const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
    zip.file('word/document.xml', xml.replace('</w:tbl>', ''));
    const broken = await zip.generateAsync({ type: 'nodebuffer' });
    expect(await docxProblem(broken)).toMatch(/w:tbl/);
    expect(await docxProblem(Buffer.from('not a docx'))).toMatch(/zip/);
  });
});
