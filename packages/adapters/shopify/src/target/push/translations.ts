/**
 * Translations: the host's text in the store's other languages, registered with
 * translationsRegister (one resource a call, all its languages and keys; many calls a request)
 * for products, collections and text metafields written or kept by this push. Shopify takes a
 * translation only with the digest of the primary content it translates: digests are read
 * (translatableResourcesByIds, 250 resources a query) where the state does not know the one of
 * the text written now, and a translation is registered again only when its text or its primary
 * content changed (translation-plan.ts). A digest gone stale between read and register (the
 * merchant edited the text meanwhile) is read again and the registration retried once.
 * A language the store has not enabled is a warning of the run, once, not an error of every item.
 */
import { type ItemError, type TargetItem } from '@shopsync/core';
import { stableHash } from '@shopsync/core/internal';
import { digestsOp, metafieldIdsOp, translationsRegisterOp, type TranslationInput } from '../../documents/translations.js';
import { MAX_INPUT_ARRAY } from '../../version.js';
import { stateKeys as K } from '../state.js';
import {
  collectionTexts,
  knownDigest,
  productTexts,
  sentMark,
  translationStateSchema,
  variantTexts,
  type ResourceState,
  type ResourceTexts,
  type StoreLocales,
  type TextsPlan,
  type TranslationState,
} from '../translation-plan.js';
import { userError, type Push } from './context.js';

/** One resource of one item: what to register, and what the store has. */
interface Work {
  item: TargetItem;
  stateKey: string;
  ownerId: string;
  texts: ResourceTexts;
  rs: ResourceState;
  /** The resource's id: the owner for `self`, the metafield's once read. */
  id?: string;
  /** Digests read by this push, by key. */
  digests?: Map<string, string>;
  failed?: boolean;
  /** Registered (or given up on) in this push. */
  done?: boolean;
  /** Translations (`locale|key`) Shopify refused in this push: not sent again in it. */
  refused?: Set<string>;
  /** What Shopify refused: the item fails with these once the phase is over. */
  errors?: ItemError[];
}

const languageName = (tag: string): string => {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
};

export async function writeTranslations(p: Push): Promise<void> {
  const locales = p.env.locales;
  if (!locales || locales.enabled.length <= 1) {
    warnMissing(p, collectMissing(p, locales));
    return;
  }
  const owners = collectOwners(p, locales);
  warnMissing(p, new Set(owners.flatMap((o) => [...o.plan.missing])));
  if (owners.length === 0) return;
  await p.state.load(owners.map((o) => o.stateKey));
  const states = new Map<string, TranslationState>();
  const work: Work[] = [];
  for (const o of owners) {
    const state = states.get(o.stateKey) ?? p.state.read(o.stateKey, translationStateSchema) ?? { v: 1, resources: {} };
    states.set(o.stateKey, state);
    for (const texts of o.plan.resources) {
      const rs = (state.resources[texts.rkey] ??= { keys: {}, sent: {} });
      const w: Work = { item: o.item, stateKey: o.stateKey, ownerId: o.ownerId, texts, rs };
      if (texts.rkey === 'self') w.id = o.ownerId;
      else if (rs.id) w.id = rs.id;
      if (o.item.force || pending(w).length) work.push(w);
    }
  }
  if (work.length) {
    await readMetafieldIds(p, work.filter((w) => !w.id));
    // A second attempt only for digests that went stale between their read and the register.
    for (let attempt = 0; attempt < 2; attempt++) {
      const due = work.filter((w) => !w.failed && !w.done && w.id);
      if (due.length === 0) break;
      await readDigests(p, due.filter((w) => needsDigest(w, attempt > 0)));
      await register(p, due, attempt > 0);
    }
  }
  for (const w of work) if (w.errors?.length) p.fail(w.item, w.errors);
  for (const [key, state] of states) p.state.write(key, state);
}

/** The items of this push whose texts go to other languages: products and variants written, collections kept. */
function collectOwners(p: Push, locales: StoreLocales): Array<{ item: TargetItem; stateKey: string; ownerId: string; plan: TextsPlan }> {
  const out: Array<{ item: TargetItem; stateKey: string; ownerId: string; plan: TextsPlan }> = [];
  const open = (i: TargetItem) => p.isOpen(i) || p.outcome(i) === 'synced';
  for (const g of p.groups.values()) {
    if (g.status !== 'ok') continue;
    if (g.item && g.id && g.data && open(g.item)) out.push({ item: g.item, stateKey: K.translations('product', g.ref), ownerId: g.id, plan: productTexts(g.data, p.language, locales) });
    for (const e of g.entries) {
      if (e.item && e.id && e.data?.metafields && !e.reverted && open(e.item)) out.push({ item: e.item, stateKey: K.translations('variant', e.ref), ownerId: e.id, plan: variantTexts(e.data.metafields, p.language, locales) });
    }
  }
  for (const item of p.items) {
    if (item.change.entity !== 'category' || item.change.op !== 'upsert' || !open(item)) continue;
    const id = p.state.get(K.id('category', item.ref));
    if (id) out.push({ item, stateKey: K.translations('category', item.ref), ownerId: id, plan: collectionTexts(item.change.data, p.language, locales) });
  }
  return out.filter((o) => o.plan.resources.length || o.plan.missing.size);
}

/** Without the store's languages known (or with one only), every other language of the host's is missing. */
function collectMissing(p: Push, locales: StoreLocales | undefined): Set<string> {
  const only: StoreLocales = locales ?? { primary: p.language, enabled: [p.language] };
  return new Set(collectOwners(p, only).flatMap((o) => [...o.plan.missing]));
}

function warnMissing(p: Push, missing: ReadonlySet<string>): void {
  for (const tag of [...missing].sort()) {
    p.generalError({
      code: 'language',
      severity: 'warning',
      message: `The store has not enabled ${languageName(tag)} (${tag}): texts in it are not written. Enable the language in Shopify (Settings > Languages) or stop sending it.`,
    });
  }
}

/** The translations of a resource not yet registered against its primary content as written now. */
function pending(w: Work): TranslationInput[] {
  const out: TranslationInput[] = [];
  for (const [key, { primary, translations }] of w.texts.keys) {
    const digest = w.digests?.get(key) ?? knownDigest(w.rs, key, primary);
    for (const [locale, value] of translations) {
      if (digest !== undefined && !w.item.force && w.rs.sent[locale]?.[key] === sentMark(value, digest)) continue;
      out.push({ locale, key, value, translatableContentDigest: digest ?? '' });
    }
  }
  return out;
}

function needsDigest(w: Work, again: boolean): boolean {
  if (again) return true;
  for (const [key, { primary }] of w.texts.keys) if (!w.digests?.has(key) && knownDigest(w.rs, key, primary) === undefined) return true;
  return false;
}

/** The ids of metafields to translate, one query per owner (batched): a metafield the store does not have fails its item. */
async function readMetafieldIds(p: Push, work: readonly Work[]): Promise<void> {
  const byOwner = new Map<string, Work[]>();
  for (const w of work) byOwner.set(w.ownerId, [...(byOwner.get(w.ownerId) ?? []), w]);
  const owners = [...byOwner];
  const results = await p.run(owners.map(([ownerId, list]) => metafieldIdsOp(ownerId, list.map((w) => w.texts.metafield!))));
  results.forEach((r, i) => {
    const list = owners[i]![1];
    if (r.status !== 'ok') {
      for (const w of list) {
        w.failed = true;
        if (r.status === 'error') p.fail(w.item, r.errors);
        else p.hold(w.item);
      }
      return;
    }
    list.forEach((w, j) => {
      const id = r.data?.[`m${j}`]?.id;
      if (id) w.id = w.rs.id = id;
      else {
        w.failed = true;
        p.fail(w.item, [{ code: 'METAFIELD_NOT_FOUND', message: `Metafield ${w.texts.metafield!.namespace}.${w.texts.metafield!.key} is not in the store: its translations cannot be written.` }]);
      }
    });
  });
}

/** Reads the digests of the resources' primary content, 250 resources a query. */
async function readDigests(p: Push, work: readonly Work[]): Promise<void> {
  const byId = new Map<string, Work[]>();
  for (const w of work) byId.set(w.id!, [...(byId.get(w.id!) ?? []), w]);
  const ids = [...byId.keys()];
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += MAX_INPUT_ARRAY) chunks.push(ids.slice(i, i + MAX_INPUT_ARRAY));
  const results = await p.run(chunks.map((c) => digestsOp(c)));
  results.forEach((r, i) => {
    if (r.status !== 'ok') {
      for (const id of chunks[i]!) for (const w of byId.get(id)!) p.hold(w.item);
      return;
    }
    for (const node of r.data.nodes) {
      for (const w of byId.get(node.resourceId) ?? []) {
        w.digests = new Map(node.translatableContent.flatMap((c) => (c.digest ? [[c.key, c.digest] as const] : [])));
        for (const [key, { primary }] of w.texts.keys) {
          const digest = w.digests.get(key);
          if (digest) w.rs.keys[key] = { digest, source: stableHash(primary) };
        }
      }
    }
  });
}

/**
 * Registers what is pending. A call is all or nothing: when Shopify refuses some translations of
 * a resource, the others were not saved either; they go again without the refused ones, and a
 * digest that went stale is read again first (on the last attempt, a refusal is an item error).
 */
async function register(p: Push, work: readonly Work[], last: boolean): Promise<void> {
  const due: Array<{ w: Work; translations: TranslationInput[] }> = [];
  for (const w of work) {
    const refused = (w.refused ??= new Set());
    const all = pending(w).filter((t) => !refused.has(`${t.locale}|${t.key}`));
    for (const t of all.filter((x) => x.translatableContentDigest === '')) {
      refused.add(`${t.locale}|${t.key}`);
      (w.errors ??= []).push({ code: 'NOT_TRANSLATABLE', field: ['translations', t.key], message: `The store has no ${t.key} content to translate into ${t.locale}.` });
    }
    const translations = all.filter((t) => t.translatableContentDigest !== '');
    if (translations.length) due.push({ w, translations });
    else w.done = true;
  }
  const results = await p.run(due.map((d) => translationsRegisterOp(d.w.id!, d.translations)));
  results.forEach((r, i) => {
    const { w, translations } = due[i]!;
    w.done = true;
    if (r.status === 'unsent' || r.status === 'uncertain') return p.hold(w.item);
    if (r.status === 'error') return void (w.errors ??= []).push(...r.errors);
    if (r.data.userErrors.length === 0) {
      for (const t of translations) (w.rs.sent[t.locale] ??= {})[t.key] = sentMark(t.value, t.translatableContentDigest);
      return;
    }
    let stale = false;
    for (const u of r.data.userErrors) {
      const index = Number(u.field?.[1]);
      const t = Number.isInteger(index) ? translations[index] : undefined;
      if (u.code === 'INVALID_TRANSLATABLE_CONTENT' && !last) {
        stale = true;
        continue;
      }
      for (const x of t ? [t] : translations) w.refused!.add(`${x.locale}|${x.key}`);
      if (u.code === 'INVALID_LOCALE_FOR_SHOP' && t) warnMissing(p, new Set([t.locale]));
      else (w.errors ??= []).push({ ...userError(u), message: `Translation${t ? ` (${t.locale}, ${t.key})` : ''}: ${u.message}` });
    }
    if (!last) w.done = false;
    if (stale) delete w.digests;
  });
}
