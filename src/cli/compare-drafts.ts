import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config/config.js';
import { silentLogger } from '../core/logger.js';
import { createQaServices } from '../compose.js';
import { compareWithAnnex, comparisonReport, docxText } from '../drafts/compare-with-annex.js';
import { renderDraftDocx } from '../drafts/render-draft-docx.js';

/** npm run compare-drafts: each form's draft against its annex in the corpus → docs/drafts/comparison.md. */
async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ipbot-compare-'));
  const { catalog, index } = await createQaServices(loadConfig({ ...process.env, DATA_DIR: dataDir, EMBEDDER: 'builtin' }), silentLogger);
  const rows = [];
  for (const form of catalog.forms) {
    const doc = index.docs.find((d) => d.id === form.doc);
    if (!doc) continue;
    const instructions = doc.units.filter((u) => u.kind === 'instructions').map((u) => u.text);
    const text = await docxText(await renderDraftDocx({ form, values: {}, cover: {} }, instructions));
    rows.push({ form, parts: compareWithAnnex(text, doc, form) });
  }
  const out = path.resolve('docs/drafts/comparison.md');
  writeFileSync(out, `${comparisonReport(rows)}\n`);
  const missing = rows.flatMap((r) => r.parts).filter((p) => p.missing.length > 0).length;
  console.log(`${path.relative(process.cwd(), out)}: ${rows.length} forms, ${rows.reduce((n, r) => n + r.parts.length, 0)} parts, ${missing} with words missing`);
}

main().catch((e: unknown) => {
  console.error((e as Error).message);
  process.exit(1);
});
