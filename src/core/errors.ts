/** Error taxonomy: one class, a literal code, an optional cause. */
export type AppErrorCode =
  | 'config_invalid'
  | 'corpus_invalid'
  | 'document_unreadable'
  | 'index_mismatch'
  | 'embedder_unavailable'
  | 'input_invalid'
  | 'storage_failed'
  | 'storage_busy'
  | 'claim_lost'
  | 'storage_corrupt'
  | 'data_dir_unusable'
  | 'delivery_failed';

export class AppError extends Error {
  readonly code: AppErrorCode;
  constructor(code: AppErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** The message of anything thrown (an Error's message, otherwise its string form). */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
