/**
 * Spanish for the widget: `import '@shopsync/widget/translations/es'` once, then
 * `<shopsync-panel locale="es">` (or `lang="es"`) speaks Spanish. It exports nothing.
 *
 * @packageDocumentation
 * @module @shopsync/widget/translations/es
 */
import { es } from '../i18n/es.js';
import { registerTranslation } from '../i18n/localizer.js';

registerTranslation('es', es);
