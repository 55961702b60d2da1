import { nothing } from 'lit';
import { Directive, directive, PartType, type ElementPart, type PartInfo } from 'lit/directive.js';

/**
 * Sets style properties through the CSSOM (`style.setProperty`), never through the `style`
 * attribute: a host page whose Content-Security-Policy has `style-src` without 'unsafe-inline'
 * blocks the attribute, and Lit's `styleMap` writes the attribute on its first render. Goes on an
 * element: `<div ${cssomStyle({ height: '12px' })}>`. Each element is given the same properties
 * every render, so none has to be removed.
 */
class CssomStyle extends Directive {
  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('cssomStyle() goes on an element, as in <div ${cssomStyle({...})}>.');
  }

  render(_styles: Readonly<Record<string, string>>) {
    return nothing;
  }

  override update(part: ElementPart, [styles]: [Readonly<Record<string, string>>]) {
    const style = (part.element as HTMLElement).style;
    for (const [name, value] of Object.entries(styles)) if (style.getPropertyValue(name) !== value) style.setProperty(name, value);
    return nothing;
  }
}

/** Sets style properties on an element without the `style` attribute (safe under a strict CSP). */
export const cssomStyle = directive(CssomStyle);
