import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { OutgoingFile } from '../../core/ports.js';

/**
 * Files the platform cannot send as messages (the Official Account's API sends no documents),
 * served by the bot's HTTP server under a short-lived signed link: /files/<id>?exp=<unix s>&sig=<hmac>.
 * The signature covers the id and the expiry, so an altered or expired link is refused; the
 * files themselves (a registration draft holds the institution's data) are deleted once no
 * link to them can still be valid.
 */
export interface DownloadLinksOptions {
  dir: string;
  secret: string;
  baseUrl: string;
  ttlMs: number;
}

const metaSchema = z.object({ name: z.string().min(1), mimeType: z.string().min(1) });

export type Resolved = { ok: true; file: OutgoingFile } | { ok: false; status: 403 | 404 | 410 };

export class DownloadLinks {
  constructor(private readonly options: DownloadLinksOptions) {
    mkdirSync(options.dir, { recursive: true });
  }

  /** stores the file (idempotent: same bytes, same id) and returns a link valid for the TTL */
  publish(file: OutgoingFile, now: Date): string {
    const id = createHash('sha256').update(file.name).update('\u0000').update(file.data).digest('hex').slice(0, 32);
    writeFileSync(this.pathOf(id, 'bin'), file.data);
    writeFileSync(this.pathOf(id, 'json'), JSON.stringify({ name: file.name, mimeType: file.mimeType }));
    // the sweep measures age from the time of publishing on the bot's clock
    for (const ext of ['bin', 'json'] as const) utimesSync(this.pathOf(id, ext), now, now);
    const exp = Math.floor((now.getTime() + this.options.ttlMs) / 1000);
    return `${this.options.baseUrl.replace(/\/$/, '')}/files/${id}?exp=${exp}&sig=${this.sign(id, exp)}`;
  }

  resolve(id: string, exp: string | null, sig: string | null, now: Date): Resolved {
    if (!/^[0-9a-f]{32}$/.test(id) || !exp || !/^\d{1,12}$/.test(exp) || !sig) return { ok: false, status: 403 };
    const expected = Buffer.from(this.sign(id, Number(exp)));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, status: 403 };
    if (Number(exp) * 1000 < now.getTime()) return { ok: false, status: 410 };
    try {
      const meta = metaSchema.parse(JSON.parse(readFileSync(this.pathOf(id, 'json'), 'utf8')));
      return { ok: true, file: { ...meta, data: readFileSync(this.pathOf(id, 'bin')) } };
    } catch {
      return { ok: false, status: 404 };
    }
  }

  /** deletes files published longer ago than the TTL; returns how many */
  sweep(now: Date): number {
    let removed = 0;
    for (const name of readdirSync(this.options.dir)) {
      const file = path.join(this.options.dir, name);
      if (statSync(file).mtimeMs + this.options.ttlMs < now.getTime()) {
        rmSync(file, { force: true });
        if (name.endsWith('.bin')) removed++;
      }
    }
    return removed;
  }

  private sign(id: string, exp: number): string {
    return createHmac('sha256', this.options.secret).update(`${id}.${exp}`).digest('base64url');
  }

  private pathOf(id: string, ext: 'bin' | 'json'): string {
    return path.join(this.options.dir, `${id}.${ext}`);
  }
}
