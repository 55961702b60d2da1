import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

const tooLarge = (max: number) =>
  // The rest of the upload is not read: the connection closes after the answer.
  new HttpError(413, 'payload_too_large', `The request body exceeds ${max} bytes.`, { headers: { Connection: 'close' } });

function decode(chunks: Uint8Array[], size: number): string {
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(all);
  } catch {
    throw new HttpError(400, 'invalid_input', 'Invalid body: expected UTF-8 text.', { issues: [{ path: 'body', message: 'expected UTF-8 text' }] });
  }
}

function declaredLength(value: string | null | undefined): number {
  const n = Number(value);
  return value && Number.isFinite(n) ? n : 0;
}

/** A Node request's body as text, refused past `max` bytes (before reading, when declared). */
export async function readNodeBody(req: IncomingMessage, max: number): Promise<string> {
  if (declaredLength(req.headers['content-length']) > max) throw tooLarge(max);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > max) throw tooLarge(max);
    chunks.push(chunk);
  }
  return decode(chunks, size);
}

/** A fetch Request's body as text, refused past `max` bytes. */
export async function readWebBody(request: Request, max: number): Promise<string> {
  if (declaredLength(request.headers.get('content-length')) > max) throw tooLarge(max);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw tooLarge(max);
    }
    chunks.push(value);
  }
  return decode(chunks, size);
}
