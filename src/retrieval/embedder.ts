import type { EmbeddingsInterface } from '@langchain/core/embeddings';

/**
 * The Embedder port: LangChain's EmbeddingsInterface (so any LangChain vector store
 * can use it) plus an id that names the model, used in the index hash so an index
 * built with one embedder is never queried with another.
 */
export interface Embedder extends EmbeddingsInterface {
  readonly id: string;
  readonly dimensions: number;
  /** why this embedder was chosen, for the startup log */
  readonly description: string;
}
