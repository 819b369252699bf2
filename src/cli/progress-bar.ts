import cliProgress from 'cli-progress';
import type { BuildProgress } from '../retrieval/search-index.js';

/** Index-build progress on stderr: a bar on a terminal, nothing when piped (logs say enough). */
export function terminalProgress(label = '建立检索索引 / building index'): BuildProgress | undefined {
  if (!process.stderr.isTTY) return undefined;
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {value}/{total}`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  return {
    start: (total) => bar.start(total, 0),
    update: (done) => bar.update(done),
    stop: () => bar.stop(),
  };
}
