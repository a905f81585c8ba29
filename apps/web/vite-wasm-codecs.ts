import type { Plugin } from 'vite';

const CODEC_LOADER = /[\\/]@cornerstonejs[\\/]codec-[a-z]+[\\/]dist[\\/][a-z]+wasm_decode\.js$/;
const NODE_GLOBAL_PROBE = 'typeof global=="object"&&testGlobal(global)';

/**
 * The DICOM viewer's WebAssembly codecs (JPEG 2000, JPEG-LS) are Emscripten CommonJS loaders.
 * One line of them probes Node's `global`; rollup answers that by adding its `commonjsGlobal`
 * helper to the chunk that holds the shared CommonJS helpers — the app's entry, i.e. the
 * sign-in page's first load — although the codecs themselves load only with a file that needs
 * them. In a browser the probe is dead (`global` is undefined; the next probe, `self`, finds the
 * global object), so the build answers it with `false`.
 */
export function wasmCodecsWithoutNodeGlobal(): Plugin {
  return {
    name: 'caunoi-wasm-codecs',
    apply: 'build',
    enforce: 'pre',
    transform(code, id) {
      if (!CODEC_LOADER.test(id) || !code.includes(NODE_GLOBAL_PROBE)) return null;
      return { code: code.replaceAll(NODE_GLOBAL_PROBE, 'false'), map: null };
    },
  };
}
