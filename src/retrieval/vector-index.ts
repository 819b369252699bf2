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

/**
 * hnswlib-node directly (LangChain's wrapper costs 0.7 s of imports at every start and a JSON
 * docstore the chunk list already is): label = the chunk's position. Same parameters as that
 * wrapper used (M 16, efConstruction 200, seed 100, cosine), sized once for every chunk.
 */
export class HnswVectorIndex implements VectorIndex {
  private constructor(private readonly hnsw: hnswlib.HierarchicalNSW) {}

  static build(vectors: readonly number[][], dimensions: number): HnswVectorIndex {
    const hnsw = new hnswlib.HierarchicalNSW('cosine', dimensions);
    hnsw.initIndex(Math.max(1, vectors.length), 16, 200, 100);
    vectors.forEach((v, i) => hnsw.addPoint(v, i));
    return new HnswVectorIndex(hnsw);
  }

  /** @throws Error when the file is missing or unreadable (the caller rebuilds). */
  static async load(dir: string, dimensions: number): Promise<HnswVectorIndex> {
    const hnsw = new hnswlib.HierarchicalNSW('cosine', dimensions);
    await hnsw.readIndex(`${dir}/${FILE}`);
    return new HnswVectorIndex(hnsw);
  }

  async save(dir: string): Promise<void> {
    await this.hnsw.writeIndex(`${dir}/${FILE}`);
  }

  get size(): number {
    return this.hnsw.getCurrentCount();
  }

  similarities(vector: number[], indices: readonly number[]): Float64Array {
    // The cosine space stores vectors normalised: normalise the query too and take dot products.
    const norm = Math.sqrt(vector.reduce((a, v) => a + v * v, 0)) || 1;
    return Float64Array.from(indices, (i) => {
      const p = this.hnsw.getPoint(i);
      let dot = 0;
      for (let j = 0; j < p.length; j++) dot += (p[j] as number) * (vector[j] ?? 0);
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
