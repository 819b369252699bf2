import { describe, expect, it } from 'vitest';
import { gramOperator, gramTimes, seededRandom, topEigenpairs, type SparseRow } from '../../src/retrieval/linear-algebra.js';

/** Random sparse rows over `columns` terms, each sorted by column (as TF-IDF rows are). */
function randomRows(n: number, columns: number, perRow: number, seed: number): SparseRow[] {
  const rand = seededRandom(seed);
  return Array.from({ length: n }, () => {
    const cols = new Set<number>();
    while (cols.size < perRow) cols.add(Math.floor(rand() * columns));
    return [...cols].sort((a, b) => a - b).map((c): [number, number] => [c, rand()]);
  });
}

/** G·c the plain way: G = A·Aᵀ written out entry by entry from dense rows. */
function naive(rows: SparseRow[], columns: number, c: Float64Array): Float64Array {
  const dense = rows.map((r) => {
    const d = new Float64Array(columns);
    for (const [t, x] of r) d[t] = x;
    return d;
  });
  return Float64Array.from(dense, (a) => dense.reduce((s, b, j) => s + a.reduce((d, x, t) => d + x * (b[t] as number), 0) * (c[j] as number), 0));
}

describe('the embedder’s SVD without the Gram matrix', () => {
  it('multiplies by A·Aᵀ through the sparse rows exactly as the Gram matrix would, whichever way is cheaper', () => {
    const rand = seededRandom(3);
    for (const [n, columns, perRow] of [
      [12, 40, 25], // few long rows: the Gram matrix is formed
      [60, 500, 4], // many short rows: it is not
    ] as const) {
      const rows = randomRows(n, columns, perRow, n);
      const block = [0, 1, 2].map(() => Float64Array.from({ length: n }, () => rand() - 0.5));
      const expected = block.map((c) => naive(rows, columns, c));
      for (const times of [gramOperator(rows, columns, block.length, 5), (cols: Float64Array[]) => gramTimes(rows, columns, cols)]) {
        const got = times(block);
        got.forEach((col, j) => col.forEach((v, i) => expect(v).toBeCloseTo((expected[j] as Float64Array)[i] as number, 9)));
      }
    }
  });

  it('finds the leading eigenvalues of A·Aᵀ (the squared singular values) on rows of known structure', () => {
    // Three groups of rows on disjoint terms, scaled 3, 2 and 1: singular values are known exactly.
    const rows: SparseRow[] = [];
    [3, 2, 1].forEach((scale, g) => {
      for (let i = 0; i < 4; i++) rows.push([[g * 10, scale], [g * 10 + 1, scale]]);
    });
    const { values } = topEigenpairs(rows.length, (cols) => gramTimes(rows, 30, cols), 3);
    // Each group is 4 identical rows of norm² 2·scale²: one eigenvalue 4·2·scale².
    expect(values.map((v) => Math.round(v * 1000) / 1000)).toEqual([72, 32, 8]);
  });
});
