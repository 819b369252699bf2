import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import hnswlib from 'hnswlib-node';

/** A nearest-neighbour hit: the chunk's position in the index's chunk list and its cosine distance. */
export interface VectorHit {
  index: number;
  distance: number;
}

/**
 * The vector-search port retrieval uses: chunk positions by cosine distance. The built-in
 * adapter is hnswlib; a pgvector or Qdrant adapter implements the same two members.
 */
export interface VectorIndex {
  readonly size: number;
  search(vector: number[], k: number): VectorHit[];
  /** cosine similarity of the vector to each of the given chunks' vectors */
  similarities(vector: number[], indices: readonly number[]): Float64Array;
}

const FILE = 'hnswlib.index';
/** The normalised vectors again, row by row, for exact similarities of candidates (getPoint per chunk is slow). */
const VECTORS = 'vectors.f32';

/**
 * hnswlib-node directly (LangChain's wrapper costs 0.7 s of imports at every start and a JSON
 * docstore the chunk list already is): label = the chunk's position. Same parameters as that
 * wrapper used (M 16, efConstruction 200, seed 100, cosine), sized once for every chunk.
 */
export class HnswVectorIndex implements VectorIndex {
  private constructor(
    private readonly hnsw: hnswlib.HierarchicalNSW,
    /** size × dimensions, each row of unit length */
    private readonly rows: Float32Array,
    private readonly dimensions: number,
  ) {}

  static build(vectors: readonly number[][], dimensions: number): HnswVectorIndex {
    const hnsw = new hnswlib.HierarchicalNSW('cosine', dimensions);
    hnsw.initIndex(Math.max(1, vectors.length), 16, 200, 100);
    const rows = new Float32Array(vectors.length * dimensions);
    vectors.forEach((v, i) => {
      hnsw.addPoint(v, i);
      const norm = Math.sqrt(v.reduce((a, x) => a + x * x, 0)) || 1;
      for (let j = 0; j < dimensions; j++) rows[i * dimensions + j] = (v[j] ?? 0) / norm;
    });
    return new HnswVectorIndex(hnsw, rows, dimensions);
  }

  /** @throws Error when a file is missing, unreadable or of another size (the caller rebuilds). */
  static async load(dir: string, dimensions: number): Promise<HnswVectorIndex> {
    const hnsw = new hnswlib.HierarchicalNSW('cosine', dimensions);
    const [, buf] = await Promise.all([hnsw.readIndex(path.join(dir, FILE)), readFile(path.join(dir, VECTORS))]);
    const rows = new Float32Array(new Uint8Array(buf).buffer);
    if (rows.length !== hnsw.getCurrentCount() * dimensions) throw new Error('vectors.f32 does not match the HNSW index');
    return new HnswVectorIndex(hnsw, rows, dimensions);
  }

  async save(dir: string): Promise<void> {
    await this.hnsw.writeIndex(path.join(dir, FILE));
    await writeFile(path.join(dir, VECTORS), Buffer.from(this.rows.buffer, this.rows.byteOffset, this.rows.byteLength));
  }

  get size(): number {
    return this.hnsw.getCurrentCount();
  }

  similarities(vector: number[], indices: readonly number[]): Float64Array {
    const norm = Math.sqrt(vector.reduce((a, v) => a + v * v, 0)) || 1;
    const d = this.dimensions;
    return Float64Array.from(indices, (i) => {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += (this.rows[i * d + j] as number) * (vector[j] ?? 0);
      return dot / norm;
    });
  }

  search(vector: number[], k: number): VectorHit[] {
    const n = Math.min(k, this.size);
    if (n === 0) return [];
    const { neighbors, distances } = this.hnsw.searchKnn(vector, n);
    return neighbors.map((index, i) => ({ index, distance: distances[i] ?? 1 }));
  }
}
