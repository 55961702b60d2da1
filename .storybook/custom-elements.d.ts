// The widget's custom-elements manifest is generated (and gitignored): typed here, so that the
// typecheck does not depend on a build having run.
declare module '@shopsync/widget/custom-elements.json' {
  const manifest: { schemaVersion: string; modules: unknown[] };
  export default manifest;
}
