/** Small files of the other accepted (and refused) types, built in memory. */

/** A 1x1 PNG. */
export const tinyPng = () =>
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  );

/** The JPEG/JFIF signature and end marker: enough for content sniffing. */
export const tinyJpeg = () =>
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9]);

export const labResultsJson = () =>
  Buffer.from(
    JSON.stringify({
      panel: 'Công thức máu',
      results: [{ code: 'WBC', value: 12.4, unit: 'G/L' }],
    }),
  );

/** The start of a Windows executable: what a spoofed ".dcm" upload really is. */
export const windowsExecutable = () =>
  Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(300, 0x41)]);
