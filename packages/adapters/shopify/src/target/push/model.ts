/**
 * What one push works on: product groups (a product, its variant list, and what each needs sent)
 * and category work. Built by groups.ts and categories.ts, changed by the phases, turned into
 * outcomes and saved state by finish.ts.
 */
import type { CategoryData, GeneralErrorInput, ItemError, ProductData, TargetItem, VariantData } from '@shopsync/core';
import type { VariantFieldsInput } from '../../documents.js';
import type { PlannedImage } from '../media-plan.js';
import type { CategoryState, MediaState, ProductState } from '../state.js';

/** One variant in a product's list: the host's (with or without a change in this push), or one the store has that the host never sent. */
export interface Entry {
  ref: string;
  /** The batch's upsert of this variant. */
  item?: TargetItem;
  data?: VariantData;
  /** The data last sent (state), to compare with and to fall back on when new data is refused. */
  prev?: VariantData;
  id?: string;
  inventoryItemId?: string;
  /** A variant of the store's the host never sent: kept with its option values. */
  foreign?: { sku?: string; options: Record<string, string> };
  /** Had no id before this push's productSet. */
  created?: boolean;
  /** Its new data was refused: the previous data stands. */
  reverted?: boolean;
  /** Locations where its stock is set, at the store (by this push or an earlier one), when this push set some. */
  stockAt?: string[];
  /** This push set its stock (its productSet carried it, or the stock phase did). */
  stockSent?: boolean;
  /** Fields that changed and that productVariantsBulkUpdate carries (when no productSet is due). */
  fields?: VariantFieldsInput;
  /** Its metafields as written by this push (`namespace.key` -> type and value), when they were. */
  metafields?: Record<string, string>;
}

export interface Group {
  ref: string;
  /** The batch's upsert of the product. */
  item?: TargetItem;
  data?: ProductData;
  state?: ProductState;
  id?: string;
  entries: Entry[];
  variantItems: TargetItem[];
  deleteItems: TargetItem[];
  /** Variant refs that leave this product (deleted, or moved to another product). */
  removed: Set<string>;
  /** Products that release variants to others are written first (wave 1), so a SKU is free before it is claimed. */
  wave: 1 | 2;
  needsLookup: boolean;
  /** A productSet is due: a new product, changed product fields, or a change of the variant list. */
  needsSet: boolean;
  /**
   * The state may be behind the store (lost, or a productSet's answer was never saved): the
   * store's variants are read before the list is sent, so that none it has is deleted by mistake.
   */
  verify: boolean;
  status: 'pending' | 'ok' | 'failed' | 'unresolved';
  defaultVariantId?: string;
  /** Category ref -> collection GID after this push ('' while the category has no collection). */
  collections?: Record<string, string>;
  /** Collections the product joined through its creating productSet. */
  joinedAtCreation?: Record<string, string>;
  /** Made by this push's productSet (it had no product before). */
  created?: boolean;
  /** A productSet of it was answered: its product fields are as sent. */
  written?: boolean;
  /** The answer to its last productSet was lost (5xx, timeout, reset, garbled): a fault of the store or the network. */
  lost?: GeneralErrorInput;
  /** The images the store should have (undefined: the host gives none, the store's are left alone). */
  images?: PlannedImage[];
  /** Its productSet carries `files`: the product is new, or its image list changed. */
  sendFiles?: boolean;
  /** The sources its last productSet carried, while that productSet's answer is unknown. */
  inFlight?: string[];
  /** Its media after this push (from productSet's answer, a read, or a processing check). */
  media?: MediaState[];
  /** The image list the store's media were written from by this push (media-plan.ts `mediaFingerprint`). */
  mediaSent?: string;
  /** Images Shopify could not process: its product item fails with these. */
  mediaErrors?: ItemError[];
  /** Its metafields as written by this push (`namespace.key` -> type and value), when they were. */
  metafields?: Record<string, string>;
  /** Publication ids it is published to after this push, when that changed. */
  published?: string[];
}

export interface CategoryWork {
  ref: string;
  item?: TargetItem;
  data: CategoryData;
  state: CategoryState;
  id?: string;
  needsLookup: boolean;
  status: 'pending' | 'ok' | 'failed' | 'unresolved';
  /** The answer to its last write was lost (5xx, timeout, reset, garbled). */
  lost?: GeneralErrorInput;
}

/** A new group for a product ref, from what the state knows of it. */
export function newGroup(ref: string, state: ProductState | undefined, id: string | undefined): Group {
  const g: Group = { ref, entries: [], variantItems: [], deleteItems: [], removed: new Set(), wave: 2, needsLookup: false, needsSet: false, verify: false, status: 'pending' };
  if (state) g.state = state;
  if (id) g.id = id;
  return g;
}

/** Every item of a group: its product's, its variants', its variant deletions'. */
export function groupItems(g: Group): TargetItem[] {
  return [...(g.item ? [g.item] : []), ...g.variantItems, ...g.deleteItems];
}
