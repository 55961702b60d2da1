import { svg, type SVGTemplateResult } from 'lit';

/** Icons (24×24, stroke): decorative unless labelled by their button, so aria-hidden. */
const icon = (body: SVGTemplateResult) =>
  svg`<svg class="icon" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${body}</svg>`;

/** The widget's icons, by name. */
export const icons = {
  info: icon(svg`<circle cx="12" cy="12" r="10"/><path d="M12 16v-4"/><path d="M12 8h.01"/>`),
  check: icon(svg`<circle cx="12" cy="12" r="10"/><path d="m8 12.5 2.5 2.5L16 9.5"/>`),
  error: icon(svg`<circle cx="12" cy="12" r="10"/><path d="m15 9-6 6"/><path d="m9 9 6 6"/>`),
  progress: icon(svg`<path d="M21 12a9 9 0 1 1-6.2-8.56"/>`),
  paused: icon(svg`<circle cx="12" cy="12" r="10"/><path d="M10 15V9"/><path d="M14 15V9"/>`),
  exclamation: icon(svg`<circle cx="12" cy="12" r="10"/><path d="M12 7v6"/><path d="M12 17h.01"/>`),
  warning: icon(svg`<path d="m21.73 18-8-14a2 2 0 0 0-3.46 0l-8 14A2 2 0 0 0 4 21h16a2 2 0 0 0 1.73-3"/><path d="M12 9v4"/><path d="M12 17h.01"/>`),
  download: icon(svg`<path d="M21 15v4a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-4"/><path d="m7 10 5 5 5-5"/><path d="M12 15V3"/>`),
  close: icon(svg`<path d="M18 6 6 18"/><path d="m6 6 12 12"/>`),
  retry: icon(svg`<path d="M3 12a9 9 0 0 1 15.3-6.4L21 8"/><path d="M21 3v5h-5"/><path d="M21 12a9 9 0 0 1-15.3 6.4L3 16"/><path d="M8 16H3v5"/>`),
  repeat: icon(svg`<path d="m17 2 4 4-4 4"/><path d="M3 11v-1a4 4 0 0 1 4-4h14"/><path d="m7 22-4-4 4-4"/><path d="M21 13v1a4 4 0 0 1-4 4H3"/>`),
  clock: icon(svg`<circle cx="12" cy="12" r="10"/><path d="M12 6v6l4 2"/>`),
  arrowRight: icon(svg`<path d="M5 12h14"/><path d="m12 5 7 7-7 7"/>`),
};
