// Prints the text of a PDF (path in argv[2]) using pdfjs-dist. Run as a child process because
// pdfjs-dist ships only ES modules, which jest's CommonJS runtime cannot import.
import { readFileSync } from 'node:fs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const data = new Uint8Array(readFileSync(process.argv[2]));
const pdf = await getDocument({ data, verbosity: 0, isEvalSupported: false }).promise;
const pages = [];
for (let i = 1; i <= pdf.numPages; i++) {
  const content = await (await pdf.getPage(i)).getTextContent();
  pages.push(content.items.map((item) => item.str + (item.hasEOL ? '\n' : '')).join(''));
}
process.stdout.write(pages.join('\n'));
