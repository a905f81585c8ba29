/** `./vi.json?all`: the whole texts file as a chunk of its own (i18n/index.ts). */
declare module '*.json?all' {
  const texts: Record<string, unknown>;
  export default texts;
}
