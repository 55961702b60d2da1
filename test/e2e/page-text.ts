/** Reading a page as a person does, for the end-to-end tests. */
import type { Locator } from 'playwright-core';

/** The text a person sees in an element, shadow roots included (no inner named functions: tsx would wrap them in a helper the page lacks). */
export const deepText = (locator: Locator): Promise<string> =>
  locator.evaluate((root) => {
    const out: string[] = [];
    const stack: Node[] = [root];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.nodeType === Node.TEXT_NODE) out.push(n.textContent ?? '');
      else if (!(n instanceof HTMLStyleElement || n instanceof HTMLScriptElement)) {
        const kids = [...((n as Element).shadowRoot?.childNodes ?? []), ...n.childNodes];
        for (let k = kids.length - 1; k >= 0; k--) stack.push(kids[k]!);
      }
    }
    return out.join(' ').replace(/\s+/g, ' ').trim();
  });
