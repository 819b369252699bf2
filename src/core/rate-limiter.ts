import type { Clock } from './ports.js';

/** Sliding one-minute window per key: true while the key has sent fewer than `perMinute` messages. */
export function createRateLimiter(perMinute: number, clock: Clock): (key: string) => boolean {
  const hits = new Map<string, number[]>();
  return (key) => {
    const now = clock.now().getTime();
    const recent = (hits.get(key) ?? []).filter((t) => now - t < 60_000);
    if (recent.length >= perMinute) {
      hits.set(key, recent);
      return false;
    }
    recent.push(now);
    hits.set(key, recent);
    if (hits.size > 10_000) for (const [k, v] of hits) if (v.every((t) => now - t >= 60_000)) hits.delete(k);
    return true;
  };
}
