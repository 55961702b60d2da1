/** What the end-to-end tests share: reading a page as a person does, and waiting for what it shows. */
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

/** Polls `read` until `ok` accepts its value (or times out, naming what was last seen). */
export async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (ok(last)) return last;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
