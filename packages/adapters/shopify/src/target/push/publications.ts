/**
 * Sales channels: a product is published to the channels the connector names (by title, as the
 * merchant sees them, or by publication id) once, when it is first synchronized, and to a channel
 * added to the configuration at its next change; an archived product is unpublished from those
 * shopsync published it to. Channels the store does not have are a general error of the run, said
 * once per run. The store's channels are read once an hour at most.
 */
import type { ItemError } from '@shopsync/core';
import { publicationsOp, publishOp, unpublishOp } from '../../documents/publications.js';
import { publicationsStateSchema, stateKeys as K } from '../state.js';
import type { Push } from './context.js';
import type { Group } from './model.js';

const CHANNELS_TTL_MS = 60 * 60_000;
const GID = /^gid:\/\/shopify\/Publication\/\d+$/;

/** The configured channels' publication ids, read from the store when not known; undefined when the store could not be asked. */
async function channelIds(p: Push, names: readonly string[]): Promise<string[] | undefined> {
  await p.state.load([K.publications]);
  const now = p.env.now();
  let known = p.state.read(K.publications, publicationsStateSchema);
  const titles = names.filter((n) => !GID.test(n));
  if (titles.length && (!known || now - known.readAt > CHANNELS_TTL_MS || titles.some((t) => !(t in known!.byTitle)))) {
    const byTitle: Record<string, string> = {};
    let after: string | undefined;
    for (let page = 0; page < 10; page++) {
      const [r] = await p.run([publicationsOp(after)]);
      if (r?.status !== 'ok') return known && titles.every((t) => t in known!.byTitle) ? names.map((n) => known!.byTitle[n] ?? n) : undefined;
      for (const node of r.data.nodes) if (node.catalog) byTitle[node.catalog.title] = node.id;
      if (!r.data.pageInfo.hasNextPage || !r.data.pageInfo.endCursor) break;
      after = r.data.pageInfo.endCursor;
    }
    known = { v: 1, byTitle, readAt: now };
    p.state.write(K.publications, known);
  }
  const missing = titles.filter((t) => !known || !(t in known.byTitle));
  if (missing.length && p.env.once(`channels:${missing.join('|')}`)) {
    const has = Object.keys(known?.byTitle ?? {}).join(', ') || 'none';
    p.generalError({ code: 'configuration', message: `The store has no sales channel named ${missing.map((m) => `"${m}"`).join(', ')} (it has: ${has}); products are not published there. Check the connector's sales channels.` });
  }
  return names.flatMap((n) => (GID.test(n) ? [n] : known?.byTitle[n] !== undefined ? [known.byTitle[n]!] : []));
}

export async function writePublications(p: Push): Promise<void> {
  const names = p.ctx.config.publications ?? [];
  const groups = [...p.groups.values()].filter((g) => g.status === 'ok' && g.id && g.item && p.isOpen(g.item));
  const unpublishing = groups.filter((g) => g.data?.status === 'archived' && (g.state?.published?.length ?? 0) > 0);
  if (names.length === 0 && unpublishing.length === 0) return;
  const wanted = names.length ? await channelIds(p, names) : [];
  if (wanted === undefined) {
    for (const g of groups) p.hold(g.item!);
    return;
  }
  const work: Array<{ g: Group; publish: boolean; ids: string[] }> = [];
  for (const g of groups) {
    const had = g.state?.published ?? [];
    if (g.data?.status === 'archived') {
      if (had.length) work.push({ g, publish: false, ids: had });
    } else {
      const add = wanted.filter((id) => !had.includes(id));
      if (add.length) work.push({ g, publish: true, ids: add });
    }
  }
  const results = await p.run(work.map((w) => (w.publish ? publishOp(w.g.id!, w.ids) : unpublishOp(w.g.id!, w.ids))));
  work.forEach(({ g, publish, ids }, i) => {
    const r = results[i]!;
    const had = g.state?.published ?? [];
    if (r.status === 'ok' && r.data.userErrors.length === 0) {
      g.published = publish ? [...had, ...ids] : had.filter((id) => !ids.includes(id));
      return;
    }
    if (r.status === 'ok' || r.status === 'error') {
      const errors: ItemError[] = r.status === 'ok' ? r.data.userErrors.map((u) => ({ message: `${publish ? 'Publishing to' : 'Unpublishing from'} the sales channels failed: ${u.message}` })) : r.errors;
      p.fail(g.item!, errors);
    } else p.hold(g.item!);
  });
}
