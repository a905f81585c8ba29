// The Emscripten builds of @cornerstonejs/codec-openjpeg and codec-charls ship no types; the
// parts the viewer uses are typed in wasm-types.ts.
declare module '@cornerstonejs/codec-openjpeg/decodewasmjs' {
  const factory: (module?: object) => Promise<unknown>;
  export default factory;
}
declare module '@cornerstonejs/codec-charls/decodewasmjs' {
  const factory: (module?: object) => Promise<unknown>;
  export default factory;
}
declare module '@cornerstonejs/codec-openjpeg/decodewasm?url' {
  const url: string;
  export default url;
}
declare module '@cornerstonejs/codec-charls/decodewasm?url' {
  const url: string;
  export default url;
}
