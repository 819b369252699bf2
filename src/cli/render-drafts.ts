import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.js';
import { silentLogger } from '../core/logger.js';
import { createQaServices } from '../compose.js';
import { renderDraftDocx } from '../drafts/render-draft-docx.js';
import type { DraftContent } from '../drafts/draft-values.js';
import type { FormSchema } from '../programmes/schema.js';

/** Sample answers that fill every institution field, so the preview shows the whole layout. */
function sampleValues(form: FormSchema): DraftContent['values'] {
  const values: DraftContent['values'] = {};
  for (const field of form.sections.flatMap((s) => (s.filled_by === 'institution' ? s.fields : []))) {
    values[field.id] = {
      text: `示例${field.label}`,
      longtext: `（示例）${field.label}：本机构依托馆藏专利数据库开展检索、分析和培训服务。`.repeat(3),
      // A total of the form's `totals` holds its parts (3 each) with room to spare.
      count: form.totals.some((t) => t.total === field.id) ? 12 : 3,
      phone: '020-87110000',
      email: 'ip@example.edu.cn',
      url: 'https://ip.example.edu.cn',
      date: '2023年3月—2023年9月',
    }[field.type];
  }
  return values;
}

/**
 * npm run render-drafts [-- --out DIR]: renders a sample draft of each form to .docx, then with
 * LibreOffice (headless) to PDF and with pdftoppm to PNG pages, so the layout can be looked at.
 * Skips with a clear message when soffice or pdftoppm is not installed
 * (Debian: libreoffice-writer-nogui poppler-utils fonts-noto-cjk fonts-arphic-ukai).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'docs/drafts' } } });
  const missing = ['soffice', 'pdftoppm'].filter((bin) => spawnSync('which', [bin]).status !== 0);
  if (missing.length > 0) {
    console.log(`skipped: ${missing.join(', ')} not installed (apt-get install libreoffice-writer-nogui poppler-utils fonts-noto-cjk fonts-arphic-ukai)`);
    return;
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ipbot-render-'));
  const { catalog, index } = await createQaServices(loadConfig({ ...process.env, DATA_DIR: dataDir, EMBEDDER: 'builtin' }), silentLogger);
  const outDir = path.resolve(values.out);
  mkdirSync(outDir, { recursive: true });
  const env = { ...process.env, FONTCONFIG_FILE: path.resolve('scripts/fontconfig.xml'), HOME: dataDir };
  for (const form of catalog.forms) {
    const instructions = index.docs.find((d) => d.id === form.doc)?.units.filter((u) => u.kind === 'instructions').map((u) => u.text) ?? [];
    const cover = { institution: '示例大学', recommender: '示例省知识产权局', date: '2026年11月22日' };
    const docx = await renderDraftDocx({ form, values: sampleValues(form), cover }, instructions);
    const docxFile = path.join(dataDir, `${form.id}.docx`);
    writeFileSync(docxFile, docx);
    execFileSync('soffice', ['--headless', '--convert-to', 'pdf', '--outdir', dataDir, docxFile], { env, stdio: 'ignore', timeout: 120_000 });
    const pdf = path.join(dataDir, `${form.id}.pdf`);
    execFileSync('pdftoppm', ['-png', '-r', '60', pdf, path.join(dataDir, form.id)], { timeout: 60_000 });
    const pages = readdirSync(dataDir).filter((f) => f.startsWith(form.id) && f.endsWith('.png')).sort();
    for (const [i, page] of pages.entries()) renameSync(path.join(dataDir, page), path.join(outDir, `${form.id}-page${i + 1}.png`));
    console.log(`${form.title}: ${pages.length} pages → ${path.relative(process.cwd(), outDir)}/${form.id}-page*.png`);
  }
}

main().catch((e: unknown) => {
  console.error((e as Error).message);
  process.exit(1);
});
