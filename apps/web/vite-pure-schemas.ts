import type { Plugin } from 'vite';

const SHARED_SOURCE = /[\\/]libs[\\/]shared[\\/]src[\\/][^?]*\.ts$/;
/** `z.<builder>(` that is not itself a member of something else (`x.z.y(` stays as it is). */
const ZOD_BUILDER_CALL = /(?<![\w$.])z\.(?=[A-Za-z_$][\w$]*\s*\()/g;

/**
 * Marks the zod schema builders of the shared contracts pure (`/* @__PURE__ *\/ z.object(…)`).
 * The contracts build their schemas at module level, and rollup cannot prove such calls free of
 * side effects, so a single constant imported from `@caunoi/shared` (an error-code list) pulled
 * every schema, and zod itself, into the sign-in page's first load. Building a schema has no
 * effect beyond its value: unused ones are dropped, and zod arrives with the screens that parse.
 * (rollup's `treeshake.manualPureFunctions: ['z']` does not reach through zod's namespace export.)
 */
export function pureSchemas(): Plugin {
  return {
    name: 'caunoi-pure-schemas',
    apply: 'build',
    enforce: 'post',
    transform(code, id) {
      if (!SHARED_SOURCE.test(id)) return null;
      return { code: code.replace(ZOD_BUILDER_CALL, '/* @__PURE__ */ z.'), map: null };
    },
  };
}
