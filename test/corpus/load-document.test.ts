import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Document, Packer, Paragraph } from 'docx';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/load-corpus.js';
import { loadDocumentText } from '../../src/corpus/load-document.js';
import { tempDir } from '../helpers/paths.js';

const ARTICLES = ['第一条 为规范服务网点管理，制定本办法。', '第二条 服务网点应当配备3名及以上专职人员。', '（一）熟悉政策；', '（二）掌握检索。'];

describe('document loaders', () => {
  it('reads .txt and strips a byte-order mark', async () => {
    const file = path.join(tempDir(), 'a.txt');
    writeFileSync(file, `\ufeff${ARTICLES.join('\n')}`);
    expect(await loadDocumentText(file)).toBe(ARTICLES.join('\n'));
  });

  it('reads .md without markdown syntax', async () => {
    const file = path.join(tempDir(), 'a.md');
    writeFileSync(file, `# 服务网点管理办法\n\n**第一条** 为规范服务网点管理，制定本办法。\n\n- 见[附件](http://example.org)\n`);
    const text = await loadDocumentText(file);
    expect(text).toContain('服务网点管理办法');
    expect(text).toContain('第一条 为规范服务网点管理，制定本办法。');
    expect(text).toContain('见附件');
    expect(text).not.toMatch(/[#*[\]]/);
  });

  it('reads .html, leaving out navigation, header and footer', async () => {
    const file = path.join(tempDir(), 'a.html');
    writeFileSync(
      file,
      `<html><body><nav>首页 新闻 政务</nav><header>网站标题</header><main><h1>服务网点管理办法</h1>${ARTICLES.map((a) => `<p>${a}</p>`).join('')}</main><footer>版权所有 京ICP备</footer></body></html>`,
    );
    const text = await loadDocumentText(file);
    expect(text.split('\n')).toEqual(['服务网点管理办法', ...ARTICLES]);
  });

  it('reads .docx paragraphs', async () => {
    const file = path.join(tempDir(), 'a.docx');
    const doc = new Document({ sections: [{ children: ARTICLES.map((a) => new Paragraph(a)) }] });
    writeFileSync(file, await Packer.toBuffer(doc));
    const text = await loadDocumentText(file);
    for (const a of ARTICLES) expect(text).toContain(a);
  });

  it('reads .pdf text', async () => {
    const file = path.join(tempDir(), 'a.pdf');
    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    const page = pdf.addPage();
    page.drawText('Article 1 Outlets shall employ five full-time staff.', { x: 40, y: 700, size: 12, font });
    page.drawText('Article 2 Filing is valid for three years.', { x: 40, y: 680, size: 12, font });
    writeFileSync(file, await pdf.save());
    const text = await loadDocumentText(file);
    expect(text).toContain('Outlets shall employ five full-time staff.');
    expect(text).toContain('Filing is valid for three years.');
  });

  it('rejects an unreadable file with a clear error', async () => {
    const file = path.join(tempDir(), 'broken.docx');
    writeFileSync(file, 'not a zip');
    await expect(loadDocumentText(file)).rejects.toThrow(/cannot read broken\.docx/);
  });

  it('a new document in any supported format joins the corpus without code changes', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'new-measures.md'), `# 服务网点管理办法\n\n第一章 总则\n\n${ARTICLES.join('\n\n')}\n`);
    const docx = new Document({ sections: [{ children: ['城市中心指引', '第一条 本指引适用于地市级中心。'].map((a) => new Paragraph(a)) }] });
    writeFileSync(path.join(dir, 'city-note.docx'), await Packer.toBuffer(docx));
    const docs = await loadCorpus(dir);
    const measures = docs.find((d) => d.id === 'new-measures');
    expect(measures?.title).toBe('服务网点管理办法');
    expect(measures?.units.filter((u) => u.kind === 'article').map((u) => u.locator.label)).toEqual(['第一条', '第二条']);
    expect(measures?.units.find((u) => u.locator.label === '第二条')?.text).toContain('（二）掌握检索。');
    expect(docs.find((d) => d.id === 'city-note')?.units.map((u) => u.locator.label)).toContain('第一条');
  });
});
