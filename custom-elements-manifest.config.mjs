/** Generates `dist-lib/custom-elements.json` from the elements' JSDoc. */

/** Elements register through the guarded `defineOnce(tag, Class)`, which the analyzer does not know as a definition. */
function defineOncePlugin() {
  return {
    name: 'curbside-define-once',
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isCallExpression(node) || node.expression.getText() !== 'defineOnce') return;
      const [tag, ctor] = node.arguments;
      if (!tag || !ctor || !ts.isStringLiteral(tag)) return;
      const decl = moduleDoc.declarations?.find((d) => d.name === ctor.getText());
      if (!decl) return;
      decl.tagName = tag.text;
      decl.customElement = true;
      moduleDoc.exports = [
        ...(moduleDoc.exports ?? []),
        { kind: 'custom-element-definition', name: tag.text, declaration: { name: decl.name, module: moduleDoc.path } },
      ];
    },
  };
}

/**
 * `#private` fields and `private`/`protected` members are implementation, not API; events the
 * analyzer saw dispatched without a name are the typed ones already listed by `@fires`.
 */
function publicMembersPlugin() {
  return {
    name: 'curbside-public-members',
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const decl of mod.declarations ?? []) {
          if (decl.members) decl.members = decl.members.filter((m) => m.privacy !== 'private' && m.privacy !== 'protected' && !m.name.startsWith('#'));
          if (decl.events) decl.events = decl.events.filter((e) => e.name);
        }
      }
    },
  };
}

export default {
  globs: ['widgets/**/*.ts'],
  exclude: ['widgets/**/*.test.ts'],
  outdir: 'dist-lib',
  // package.json names dist-lib's manifest by hand; the docs build and tests write theirs elsewhere.
  packagejson: false,
  litelement: true,
  plugins: [defineOncePlugin(), publicMembersPlugin()],
};
