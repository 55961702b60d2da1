/**
 * productSet's files, read against the store: `files` (the product's media become exactly these,
 * in order) and each variant's `file` (its image). An entry with `id` names a file of the shop
 * (and may change its alt, or give it a new source); one with only `originalSource` is always a
 * new file: Shopify does not deduplicate, so sending a source twice makes two files. A variant's
 * file given by the source of one of this productSet's new files is that file, not another.
 */
import type { DuplicateMode, NewFile } from './media.js';
import { given, type FileSetArgs } from './model.js';
import type { SimStore } from './store.js';

/** A file as productSet will use it. */
export type PlannedFile =
  /** A file of the shop: `alt` and `source`, when given, change it. */
  | { kind: 'existing'; id: string; alt?: string; source?: string }
  | { kind: 'new'; file: NewFile };

/** A variant's file: a file of the shop, one of this productSet's new files, or a new one. */
export type PlannedVariantFile = PlannedFile | { kind: 'listed'; index: number };

type Err = (code: string, field: Array<string | number> | null, message: string) => void;

const MEDIA_IMAGE = /^gid:\/\/shopify\/MediaImage\/\d+$/;
/** Shopify's limit on alt text. */
const MAX_ALT = 512;

function planFile(store: SimStore, f: FileSetArgs, at: (...rest: Array<string | number>) => Array<string | number>, code: string, err: Err): PlannedFile | undefined {
  let ok = true;
  const bad = (field: Array<string | number>, message: string) => {
    ok = false;
    err(code, field, message);
  };
  if (given(f.contentType) && f.contentType !== 'IMAGE') bad(at('contentType'), `The simulator keeps images only: contentType must be IMAGE, not ${f.contentType}.`);
  if (given(f.alt) && f.alt.length > MAX_ALT) bad(at('alt'), `Alt text is too long (maximum is ${MAX_ALT} characters).`);
  const source = f.originalSource?.trim() || undefined;
  if (source !== undefined && !URL.canParse(source)) bad(at('originalSource'), `Original source must be a URL, not '${source}'.`);
  if (given(f.id)) {
    if (!MEDIA_IMAGE.test(f.id) || !store.media.files.has(f.id)) bad(at('id'), `File ${f.id} does not exist.`);
    if (!ok) return undefined;
    return { kind: 'existing', id: f.id, ...(given(f.alt) ? { alt: f.alt } : {}), ...(source ? { source } : {}) };
  }
  if (!source) bad(at(), 'A file needs an id (a file of the shop) or an originalSource (a new file).');
  if (!ok || !source) return undefined;
  const mode: DuplicateMode = f.duplicateResolutionMode ?? 'APPEND_UUID';
  return { kind: 'new', file: { source, alt: f.alt ?? '', filename: f.filename, mode } };
}

/** `input.files`: each entry checked (INVALID_INPUT on `['input', 'files', i, …]`), no file twice. */
export function planFiles(store: SimStore, filesIn: readonly FileSetArgs[], err: Err): PlannedFile[] {
  const planned: PlannedFile[] = [];
  const ids = new Set<string>();
  filesIn.forEach((f, i) => {
    const at = (...rest: Array<string | number>) => ['input', 'files', i, ...rest];
    const p = planFile(store, f, at, 'INVALID_INPUT', err);
    if (p?.kind === 'existing' && ids.has(p.id)) return err('INVALID_INPUT', at('id'), `File ${p.id} is listed more than once.`);
    if (p?.kind === 'existing') ids.add(p.id);
    if (p) planned.push(p);
  });
  return planned;
}

/** A variant's `file` (INVALID_VARIANT on `['input', 'variants', i, 'file', …]`). */
export function planVariantFile(store: SimStore, f: FileSetArgs, files: readonly PlannedFile[] | undefined, i: number, err: Err): PlannedVariantFile | undefined {
  const p = planFile(store, f, (...rest) => ['input', 'variants', i, 'file', ...rest], 'INVALID_VARIANT', err);
  if (p?.kind !== 'new') return p;
  const index = (files ?? []).findIndex((x) => x.kind === 'new' && x.file.source === p.file.source);
  return index >= 0 ? { kind: 'listed', index } : p;
}
