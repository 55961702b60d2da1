/** Base of every error core throws: `code` is stable and safe to branch on. */
export class ShopsyncError extends Error {
  override name = 'ShopsyncError';
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
