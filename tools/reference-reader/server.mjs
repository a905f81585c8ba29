#!/usr/bin/env node
/**
 * Cầu Nối reference reader — exercises the machine pre-read interface end to end. NOT a clinical
 * tool: it outlines the two lung fields by thresholding, it diagnoses nothing.
 *
 *   READER_PORT=4100 READER_TOKEN=… node tools/reference-reader/server.mjs
 *
 * POST any path with an uncompressed DICOM image (application/dicom) → 200 FHIR R4
 * DiagnosticReport (application/fhir+json); 400 OperationOutcome for an image it cannot read;
 * 401 when READER_TOKEN is set and the bearer token differs. With READER_RECORD=1 it keeps what it
 * was sent (size, the patient tags found, headers) for `GET /received`: the tests use it to check
 * that nothing identifying left the API.
 */
import http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { readDicomImage, UnreadableImage } from './dicom-image.mjs';
import { findLungFields } from './lung-fields.mjs';
import { diagnosticReport } from './fhir.mjs';

const MAX_BYTES = 64 * 1024 * 1024;
const port = Number(process.env.READER_PORT ?? 4100);
const host = process.env.READER_HOST ?? '127.0.0.1';
const token = process.env.READER_TOKEN || null;
const record = process.env.READER_RECORD === '1';
const received = [];

const outcome = (text) => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code: 'invalid', diagnostics: text }],
});

function send(res, status, body, type = 'application/fhir+json') {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function authorised(header) {
  if (!token) return true;
  const given = Buffer.from(String(header ?? ''));
  const wanted = Buffer.from(`Bearer ${token}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

async function body(req) {
  const chunks = [];
  let size = 0;
  for await (const c of req) {
    size += c.length;
    if (size > MAX_BYTES) return null;
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

const server = http.createServer(async (req, res) => {
  try {
    if (req.method === 'GET' && req.url === '/received' && record) return send(res, 200, received);
    if (req.method === 'GET' && req.url === '/health') return send(res, 200, { ok: true });
    if (req.method !== 'POST') return send(res, 405, outcome('POST a DICOM image'));
    const ok = authorised(req.headers.authorization);
    const bytes = await body(req);
    if (!bytes) return send(res, 413, outcome(`at most ${MAX_BYTES} bytes`));
    let image = null;
    let error = null;
    try {
      image = readDicomImage(bytes);
    } catch (err) {
      if (!(err instanceof UnreadableImage)) throw err;
      error = err.message;
    }
    if (record)
      received.push({
        bytes: bytes.length,
        contentType: req.headers['content-type'] ?? null,
        requestId: req.headers['x-request-id'] ?? null,
        authorised: ok,
        patientName: image?.patientName ?? null,
        patientId: image?.patientId ?? null,
        // Whether any byte sequence of the test patient's tags survived anywhere in the file.
        rawText: bytes
          .toString('latin1')
          .replace(/[^\x20-\x7e]+/g, ' ')
          .slice(0, 4000),
      });
    if (!ok) return send(res, 401, outcome('wrong or missing bearer token'));
    if (error) return send(res, 400, outcome(error));
    send(res, 200, diagnosticReport(findLungFields(image)));
  } catch (err) {
    send(res, 500, outcome(String(err?.message ?? err).slice(0, 200)));
  }
});

server.listen(port, host, () => {
  const a = server.address();
  console.log(`reference-reader listening on http://${a.address}:${a.port}`);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));
