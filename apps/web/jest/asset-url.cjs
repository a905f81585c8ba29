// Vite's `?url` imports (an asset's public URL) have no meaning under jest: an empty URL makes the
// WebAssembly codecs fall back to the .wasm file next to their own script.
module.exports = '';
