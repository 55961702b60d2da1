/**
 * The custom-elements manifest as docs pages should show it: the public API only. The analyzer
 * also lists private and protected members (`#event`, `l`…) and statics, which are not the
 * elements' contract and would each get a control. Events are the `shopsync-*` ones: the
 * analyzer also takes the argument of `dispatchEvent(new SomeEvent(enabled))` for an event name.
 */
interface Member {
  kind?: string;
  name: string;
  privacy?: 'public' | 'private' | 'protected';
  static?: boolean;
}
interface Manifest {
  modules: Array<{ declarations?: Array<{ members?: Member[]; events?: Array<{ name?: string }> }> }>;
}

export function publicApi<T>(manifest: T): T {
  const copy = structuredClone(manifest) as T & Manifest;
  for (const mod of copy.modules) {
    for (const decl of mod.declarations ?? []) {
      if (decl.members) decl.members = decl.members.filter((m) => !m.static && !m.name.startsWith('#') && (m.privacy ?? 'public') === 'public');
      if (decl.events) decl.events = decl.events.filter((e) => e.name?.startsWith('shopsync-'));
    }
  }
  return copy;
}
