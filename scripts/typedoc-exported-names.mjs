// A TypeDoc plugin (typedoc.config.mjs loads it): every name an entry point exports must carry a
// doc comment that says what it is for. A name without one is a warning, which
// `treatWarningsAsErrors` makes a failed build.
//
// TypeDoc's own `validation.notDocumented` asks the same of every member too (each method and
// property of every exported class and interface); this asks it of exported names, the contract
// a user reads first. Names listed in `intentionallyNotDocumented` (as `@shopsync/core.Name`)
// are let through.
//
// It also keeps a comment inherited from a dependency from failing the build by a link that
// resolves only in the dependency's own docs: every element overrides Lit's `static styles`, whose
// comment links to Lit's `css`. Such a link becomes code text.
import { relative } from 'node:path';
import { Application, Converter, ReflectionKind } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(
    Converter.EVENT_RESOLVE_END,
    (context) => {
      for (const reflection of Object.values(context.project.reflections)) {
        // Overrides (or inherits) a member these docs do not hold: a dependency's.
        const from = reflection.overwrites ?? reflection.inheritedFrom;
        if (!reflection.comment || !from || from.reflection) continue;
        const parts = [reflection.comment.summary, ...reflection.comment.blockTags.map((tag) => tag.content)];
        for (const list of parts) {
          for (const [i, part] of list.entries()) {
            if (part.kind === 'inline-tag' && part.tag.startsWith('@link') && typeof part.target !== 'string' && !part.target?.variant) {
              list[i] = { kind: 'code', text: `\`${part.text.trim()}\`` };
            }
          }
        }
      }
    },
    -1000, // after TypeDoc has copied inherited comments and resolved their links
  );
  app.on(Application.EVENT_VALIDATE_PROJECT, (project) => {
    const allowed = new Set(app.options.getValue('intentionallyNotDocumented'));
    const used = new Set();
    for (const module of project.getChildrenOrNamespaces?.() ?? project.children ?? []) {
      if (!module.kindOf(ReflectionKind.Module)) continue;
      for (const child of module.children ?? []) {
        if (child.kindOf(ReflectionKind.Reference)) continue; // documented where it is declared
        const documented =
          child.hasComment() ||
          (child.signatures ?? []).some((s) => s.hasComment()) ||
          (child.type?.declaration?.signatures ?? []).some((s) => s.hasComment());
        if (documented) continue;
        const name = child.getFriendlyFullName();
        if (allowed.has(name)) {
          used.add(name);
          continue;
        }
        const file = project.getSymbolIdFromReflection(child)?.fileName;
        const source = file ? relative(process.cwd(), file) : 'an unknown file';
        app.logger.warn(`${name} (${ReflectionKind.singularString(child.kind)}, in ${source}) has no doc comment: say what it is for.`);
      }
    }
    for (const name of allowed) {
      if (!used.has(name)) app.logger.warn(`intentionallyNotDocumented names ${name}, which is documented or no longer exported: remove it from typedoc.config.mjs.`);
    }
  });
}
