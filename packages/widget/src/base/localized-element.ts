import { consume } from '@lit/context';
import { LitElement } from 'lit';
import { state } from 'lit/decorators.js';
import { localizerContext } from '../context.js';
import { localizerFor, type Localizer } from '../i18n/localizer.js';

/**
 * A part of the panel: it speaks the panel's language, given through context; used on its own,
 * the document's language.
 */
export class LocalizedElement extends LitElement {
  @consume({ context: localizerContext, subscribe: true })
  @state()
  protected l: Localizer = localizerFor(document.documentElement.lang);
}
