import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The text of a PDF as a reader would extract it (pdfjs-dist), NFC-normalised. */
export function pdfText(bytes: Buffer): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'caunoi-pdf-'));
  try {
    const file = path.join(dir, 'doc.pdf');
    writeFileSync(file, bytes);
    return execFileSync(process.execPath, [path.join(__dirname, 'pdf-text.mjs'), file], {
      encoding: 'utf8',
    }).normalize('NFC');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
