/** Linear algebra for the built-in embedder: top-k eigenpairs of the Gram matrix of sparse TF-IDF rows. */

/** Deterministic PRNG (mulberry32): the same corpus always builds the same index. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Orthonormalises the columns of an n×m column-major matrix in place (modified Gram–Schmidt). */
function orthonormalizeColumns(cols: Float64Array[]): void {
  for (let j = 0; j < cols.length; j++) {
    const c = cols[j] as Float64Array;
    let before = 0;
    for (let r = 0; r < c.length; r++) before += (c[r] ?? 0) ** 2;
    for (let i = 0; i < j; i++) {
      const p = cols[i] as Float64Array;
      let dot = 0;
      for (let r = 0; r < c.length; r++) dot += (c[r] ?? 0) * (p[r] ?? 0);
      for (let r = 0; r < c.length; r++) c[r] = (c[r] ?? 0) - dot * (p[r] ?? 0);
    }
    let norm = 0;
    for (let r = 0; r < c.length; r++) norm += (c[r] ?? 0) ** 2;
    // A column the earlier ones already span (the matrix has lower rank than the block) is
    // dropped, not blown up from rounding noise into a copy of them: it adds no direction.
    if (norm <= 1e-20 * before || norm === 0) {
      c.fill(0);
      continue;
    }
    norm = Math.sqrt(norm);
    for (let r = 0; r < c.length; r++) c[r] = (c[r] ?? 0) / norm;
  }
}

/** A sparse row: (column, value) pairs. */
export type SparseRow = Array<[number, number]>;

/**
 * G·C for the Gram matrix G = A·Aᵀ of sparse rows A: whichever of the two ways costs less. A few
 * long rows (the seed corpus: 159 chunks of ~2,000 terms) are cheaper with G formed once; many
 * rows are cheaper, and only possible, without it. `products`: how many block products will follow.
 */
export function gramOperator(rows: SparseRow[], columns: number, width: number, products: number): (cols: Float64Array[]) => Float64Array[] {
  const n = rows.length;
  const nonZeros = rows.reduce((s, r) => s + r.length, 0);
  const formed = n * n * (nonZeros / Math.max(1, n) + products * width);
  const implicit = 2 * products * width * nonZeros;
  if (formed >= implicit) return (cols) => gramTimes(rows, columns, cols);
  const g = rows.map((a) => Float64Array.from(rows, (b) => sparseDot(a, b)));
  return (cols) => cols.map((c) => Float64Array.from(g, (row) => row.reduce((s, x, j) => s + x * (c[j] as number), 0)));
}

function sparseDot(a: SparseRow, b: SparseRow): number {
  let i = 0;
  let j = 0;
  let s = 0;
  while (i < a.length && j < b.length) {
    const ai = a[i] as [number, number];
    const bj = b[j] as [number, number];
    if (ai[0] === bj[0]) {
      s += ai[1] * bj[1];
      i++;
      j++;
    } else if (ai[0] < bj[0]) i++;
    else j++;
  }
  return s;
}

/**
 * G·C for the Gram matrix G = A·Aᵀ of sparse rows A, for a block of columns C, without forming G:
 * first Aᵀ·C (one pass over A's non-zeros), then A·(Aᵀ·C) (another). The cost is in A's non-zeros
 * times the block width, not in the square of the number of rows, so a corpus of many thousand
 * chunks is fitted in seconds and the memory is the vocabulary times the block width.
 */
export function gramTimes(rows: SparseRow[], columns: number, cols: Float64Array[]): Float64Array[] {
  const m = cols.length;
  const n = rows.length;
  const at = new Float64Array(columns * m);
  const ci = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) ci[j] = (cols[j] as Float64Array)[i] as number;
    for (const [t, x] of rows[i] as SparseRow) {
      const base = t * m;
      for (let j = 0; j < m; j++) at[base + j] = (at[base + j] as number) + x * (ci[j] as number);
    }
  }
  const out = cols.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    ci.fill(0);
    for (const [t, x] of rows[i] as SparseRow) {
      const base = t * m;
      for (let j = 0; j < m; j++) ci[j] = (ci[j] as number) + x * (at[base + j] as number);
    }
    for (let j = 0; j < m; j++) (out[j] as Float64Array)[i] = ci[j] as number;
  }
  return out;
}

/** Cyclic Jacobi for a small symmetric matrix: returns eigenvalues and eigenvectors (columns). */
function jacobiEigen(a: Float64Array[]): { values: number[]; vectors: Float64Array[] } {
  const n = a.length;
  const m = a.map((r) => Float64Array.from(r));
  const v = Array.from({ length: n }, (_, i) => {
    const r = new Float64Array(n);
    r[i] = 1;
    return r;
  });
  const get = (r: number, c: number): number => (m[r] as Float64Array)[c] ?? 0;
  const set = (r: number, c: number, x: number): void => {
    (m[r] as Float64Array)[c] = x;
  };
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += get(p, q) ** 2;
    if (off < 1e-18) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = get(p, q);
        if (Math.abs(apq) < 1e-15) continue;
        const theta = (get(q, q) - get(p, p)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = get(k, p);
          const akq = get(k, q);
          set(k, p, c * akp - s * akq);
          set(k, q, s * akp + c * akq);
        }
        for (let k = 0; k < n; k++) {
          const apk = get(p, k);
          const aqk = get(q, k);
          set(p, k, c * apk - s * aqk);
          set(q, k, s * apk + c * aqk);
        }
        for (let k = 0; k < n; k++) {
          const vkp = (v[k] as Float64Array)[p] ?? 0;
          const vkq = (v[k] as Float64Array)[q] ?? 0;
          (v[k] as Float64Array)[p] = c * vkp - s * vkq;
          (v[k] as Float64Array)[q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = Array.from({ length: n }, (_, i) => get(i, i));
  const vectors = Array.from({ length: n }, (_, j) => Float64Array.from(v, (row) => row[j] ?? 0));
  return { values, vectors };
}

/**
 * Top-k eigenpairs of a symmetric positive semi-definite n×n matrix G, given as the product of G
 * with a block of columns (`times`), by randomized subspace iteration (Halko et al.), then Jacobi
 * on the small projected matrix. The cost is that of a few block products.
 */
export function topEigenpairs(n: number, times: (cols: Float64Array[]) => Float64Array[], k: number, iterations = 4, seed = 42): { values: number[]; vectors: Float64Array[] } {
  const m = Math.min(n, k + 10);
  const rand = seededRandom(seed);
  let cols: Float64Array[] = Array.from({ length: m }, () => Float64Array.from({ length: n }, () => rand() - 0.5));
  orthonormalizeColumns(cols);
  for (let it = 0; it < iterations; it++) {
    cols = times(cols);
    orthonormalizeColumns(cols);
  }
  const gq = times(cols);
  const t = cols.map((ci) => Float64Array.from(gq, (gj) => ci.reduce((s, x, r) => s + x * (gj[r] ?? 0), 0)));
  const { values, vectors } = jacobiEigen(t);
  const order = values.map((val, i) => [val, i] as const).sort((a, b) => b[0] - a[0]).slice(0, k);
  return {
    values: order.map(([val]) => val),
    vectors: order.map(([, i]) => {
      const small = vectors[i] as Float64Array;
      const out = new Float64Array(n);
      small.forEach((w, j) => {
        const c = cols[j] as Float64Array;
        for (let r = 0; r < n; r++) out[r] = (out[r] ?? 0) + w * (c[r] ?? 0);
      });
      return out;
    }),
  };
}
