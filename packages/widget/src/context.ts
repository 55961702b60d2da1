import { createContext } from '@lit/context';
import type { SyncSource } from '@shopsync/core';
import type { Localizer } from './i18n/localizer.js';

/** The panel's SyncSource, for the parts that read or act on it (items, events, logs). */
export const sourceContext = createContext<SyncSource | undefined>(Symbol('shopsync-source'));

/** The panel's messages, dates and numbers, in its locale. */
export const localizerContext = createContext<Localizer>(Symbol('shopsync-localizer'));
