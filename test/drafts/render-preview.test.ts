import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/paths.js';
import { runScript } from '../helpers/run-cli.js';

const hasRenderer = ['soffice', 'pdftoppm'].every((bin) => spawnSync('which', [bin]).status === 0);
if (!hasRenderer) console.warn('render-preview test skipped: LibreOffice (soffice) or pdftoppm not installed');

describe('rendered preview of each draft (LibreOffice → PDF → PNG)', () => {
  it.skipIf(!hasRenderer)('renders every page of both forms to PNG', async () => {
    const out = tempDir();
    const r = await runScript('src/cli/render-drafts.ts', ['--out', out], { env: {} });
    expect(r.code).toBe(0);
    const pngs = readdirSync(out);
    for (const form of ['outlet-filing-form', 'city-center-form']) {
      const pages = pngs.filter((f) => f.startsWith(form));
      expect(pages.length, form).toBeGreaterThanOrEqual(3);
      for (const p of pages) expect(statSync(path.join(out, p)).size).toBeGreaterThan(5_000);
    }
  });
});
