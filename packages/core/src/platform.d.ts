/**
 * The few web-platform globals that core uses, declared here so that core compiles
 * with neither the DOM nor Node's types: whatever is named below exists alike in
 * browsers, Node >= 20, Deno and workers. Anything not declared here cannot be used
 * by core, which is how "no DOM, no Node-only module" is enforced by the compiler.
 */
declare global {
  interface AbortSignal {
    readonly aborted: boolean;
    readonly reason: unknown;
    throwIfAborted(): void;
    addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
    removeEventListener(type: 'abort', listener: () => void): void;
  }
  var AbortSignal: { prototype: AbortSignal; any?(signals: AbortSignal[]): AbortSignal };
  interface AbortController {
    readonly signal: AbortSignal;
    abort(reason?: unknown): void;
  }
  var AbortController: { prototype: AbortController; new (): AbortController };
  function setTimeout(handler: () => void, ms?: number): unknown;
  function clearTimeout(id: unknown): void;
  function structuredClone<T>(value: T): T;
  function queueMicrotask(callback: () => void): void;
  var crypto: { getRandomValues<T extends Uint8Array | Uint32Array>(array: T): T };
  /** WHATWG URL parsing, for checking the addresses hosts give (images, metafield links). */
  interface URL {
    readonly protocol: string;
    readonly host: string;
    readonly href: string;
  }
  var URL: { prototype: URL; new (url: string, base?: string): URL };
}

export {};
