import path from 'node:path';

/**
 * Module boundaries of the workspace, checked on every import, export … from, import() and
 * require():
 * - an app (apps/<name>) never imports another app, and a library (libs/<name>) never imports an
 *   app: what two processes share lives in a library;
 * - a library is imported by its package name (`@caunoi/shared`), never by a path into its files;
 * - a web feature (apps/web/src/features/<name>) never imports another feature: pieces used by
 *   several features live outside features/ (src/shared, src/app, src/api…).
 * Nx's project-level rule cannot see features (they are folders of one project), so one small rule
 * covers both levels.
 */

const PACKAGES = {
  '@caunoi/api': 'apps/api',
  '@caunoi/sfu': 'apps/sfu',
  '@caunoi/web': 'apps/web',
};
const LIBRARIES = { '@caunoi/shared': 'libs/shared' };

/** Where a repository-relative path sits: its project and, in the web client, its feature. */
export function placeOf(relative) {
  const parts = relative.split(/[\\/]/);
  if ((parts[0] !== 'apps' && parts[0] !== 'libs') || parts.length < 2) return null;
  const feature =
    parts[0] === 'apps' && parts[1] === 'web' && parts[2] === 'src' && parts[3] === 'features'
      ? (parts[4] ?? null)
      : null;
  return { kind: parts[0] === 'apps' ? 'app' : 'lib', project: `${parts[0]}/${parts[1]}`, feature };
}

/** The problem with importing `spec` from `file`, or null. */
export function boundaryProblem(root, file, spec) {
  const from = placeOf(path.relative(root, file));
  if (!from) return null;
  let to;
  let byPath = false;
  if (spec.startsWith('.') || path.isAbsolute(spec)) {
    const target = path.relative(root, path.resolve(path.dirname(file), spec));
    if (target.startsWith('..')) return null;
    to = placeOf(target);
    byPath = true;
  } else {
    const name = spec.split('/').slice(0, 2).join('/');
    const project = PACKAGES[name] ?? LIBRARIES[name];
    if (!project) return null;
    to = placeOf(project);
  }
  if (!to) return null;
  if (to.project !== from.project) {
    if (to.kind === 'app')
      return from.kind === 'app'
        ? `${from.project} imports ${to.project}: apps never import each other; share through libs/`
        : `${from.project} imports ${to.project}: libraries never import apps`;
    if (byPath)
      return `import ${Object.keys(LIBRARIES).find((k) => LIBRARIES[k] === to.project) ?? to.project} by its package name, not a path into its files`;
    return null;
  }
  if (from.feature && to.feature && from.feature !== to.feature)
    return `feature ${from.feature} imports feature ${to.feature}: features do not import each other; move the shared piece out of features/`;
  return null;
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'apps import libraries only, web features do not import each other' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, required: ['root'] }],
  },
  create(context) {
    const { root } = context.options[0];
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      const message = boundaryProblem(root, context.filename, source);
      if (message) context.report({ node, message });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      CallExpression: (node) =>
        node.callee.type === 'Identifier' &&
        node.callee.name === 'require' &&
        node.arguments[0]?.type === 'Literal' &&
        check(node, node.arguments[0].value),
    };
  },
};

export default { rules: { 'module-boundaries': rule } };
