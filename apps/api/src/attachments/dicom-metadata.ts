import { Worker } from 'node:worker_threads';

export interface DicomSummary {
  modality?: string;
  bodyPart?: string;
  studyDate?: string; // YYYY-MM-DD
  studyDescription?: string;
  rows?: number;
  columns?: number;
  /** Where the image belongs in a series (CT/MR stacks); absent without a SeriesInstanceUID. */
  series?: DicomSeriesTags;
  /** NumberOfFrames, series or not: a multi-frame file without a series UID is still a stack. */
  frames?: number;
}

/** The tags that group instances into a series and order its slices. */
export interface DicomSeriesTags {
  seriesUid: string;
  studyUid?: string;
  sopInstanceUid?: string;
  instanceNumber?: number;
  /** ImagePositionPatient, mm. */
  position?: [number, number, number];
  /** ImageOrientationPatient: row then column direction cosines. */
  orientation?: [number, number, number, number, number, number];
  sliceLocation?: number;
  frames: number;
}

export interface DicomParseLimits {
  /** Cap on what a deflated data set may inflate to (a decompression bomb is refused). */
  maxInflatedBytes: number;
  /** A parse that runs longer than this is abandoned. */
  timeoutMs: number;
  /** V8 heap of the parsing thread, so a hostile file cannot grow the API's own heap. */
  maxHeapMb: number;
}

export const DEFAULT_DICOM_LIMITS: DicomParseLimits = {
  maxInflatedBytes: 64 * 1024 * 1024,
  timeoutMs: 10_000,
  maxHeapMb: 96,
};

/** Refused because the file would decompress to more than the cap, or took too long to read. */
export class DicomTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`The DICOM file decompresses to more than ${Math.round(limitBytes / 1024 / 1024)} MiB`);
  }
}

/**
 * Runs inside a worker thread: dicom-parser inflates a deflated data set in one synchronous call,
 * so the parse must not run on the API's event loop, and the inflation is bounded by
 * `maxOutputLength`. Kept as plain JavaScript that needs nothing but its workerData, so the same
 * code runs from the compiled build and from the TypeScript sources under test.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const zlib = require('node:zlib');
const dicomParser = require(workerData.parserPath);
const bytes = new Uint8Array(workerData.bytes);
try {
  const ds = dicomParser.parseDicom(bytes, {
    untilTag: 'x7fe00010',
    inflater: (byteArray, position) => {
      const deflated = Buffer.from(byteArray.buffer, byteArray.byteOffset + position, byteArray.length - position);
      // Z_SYNC_FLUSH: only the first bytes of a large file are read, so the stream may be cut short.
      const inflated = zlib.inflateRawSync(deflated, {
        maxOutputLength: workerData.maxInflatedBytes,
        finishFlush: zlib.constants.Z_SYNC_FLUSH,
      });
      const full = new Uint8Array(position + inflated.length);
      full.set(byteArray.subarray(0, position), 0);
      full.set(inflated, position);
      return full;
    },
  });
  const text = (tag) => { const v = ds.string(tag); return v && v.trim() ? v.trim() : undefined; };
  parentPort.postMessage({
    ok: true,
    tags: {
      modality: text('x00080060'),
      bodyPart: text('x00180015'),
      studyDate: text('x00080020'),
      studyDescription: text('x00081030'),
      rows: ds.elements.x00280010 ? ds.uint16('x00280010') : undefined,
      columns: ds.elements.x00280011 ? ds.uint16('x00280011') : undefined,
      seriesUid: text('x0020000e'),
      studyUid: text('x0020000d'),
      sopInstanceUid: text('x00080018'),
      instanceNumber: text('x00200013'),
      position: text('x00200032'),
      orientation: text('x00200037'),
      sliceLocation: text('x00201041'),
      frames: text('x00280008'),
    },
  });
} catch (err) {
  parentPort.postMessage({ ok: false, tooLarge: !!(err && err.code === 'ERR_BUFFER_TOO_LARGE') });
}
`;

type WorkerAnswer =
  | { ok: true; tags: Record<string, string | number | undefined> }
  | { ok: false; tooLarge: boolean };

function parseInWorker(bytes: Buffer, limits: DicomParseLimits): Promise<WorkerAnswer> {
  return new Promise((resolve) => {
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        bytes: copy.buffer,
        parserPath: require.resolve('dicom-parser'),
        maxInflatedBytes: limits.maxInflatedBytes,
      },
      transferList: [copy.buffer],
      resourceLimits: { maxOldGenerationSizeMb: limits.maxHeapMb, maxYoungGenerationSizeMb: 16 },
    });
    let settled = false;
    const finish = (answer: WorkerAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(answer);
    };
    const timer = setTimeout(() => finish({ ok: false, tooLarge: true }), limits.timeoutMs);
    worker.once('message', (answer: WorkerAnswer) => finish(answer));
    // A worker killed by its heap limit is a file too large to read safely.
    worker.once('error', (err: NodeJS.ErrnoException) =>
      finish({ ok: false, tooLarge: err.code === 'ERR_WORKER_OUT_OF_MEMORY' }),
    );
    worker.once('exit', () => finish({ ok: false, tooLarge: false }));
  });
}

/**
 * The tags worth showing next to an image. Parsing stops before the pixel data, so only the
 * header bytes are needed. Patient identifiers inside the file are deliberately not copied out.
 * Resolves null for a file whose header cannot be read; rejects with DicomTooLargeError for a
 * decompression bomb or a parse that exceeds the limits.
 */
export async function readDicomSummary(
  bytes: Buffer,
  limits: DicomParseLimits = DEFAULT_DICOM_LIMITS,
): Promise<DicomSummary | null> {
  const answer = await parseInWorker(bytes, limits);
  if (!answer.ok) {
    if (answer.tooLarge) throw new DicomTooLargeError(limits.maxInflatedBytes);
    return null;
  }
  const { studyDate: date, ...rest } = answer.tags;
  const out: Record<string, unknown> = {
    modality: rest.modality,
    bodyPart: rest.bodyPart,
    studyDescription: rest.studyDescription,
    rows: rest.rows,
    columns: rest.columns,
    series: seriesTags(rest),
    frames: frameCount(rest.frames),
    studyDate:
      typeof date === 'string' && /^\d{8}$/.test(date)
        ? `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`
        : date,
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as DicomSummary;
}

const UID = /^[0-9]+(\.[0-9]+)*$/;
const uid = (v: unknown) =>
  typeof v === 'string' && v.length <= 64 && UID.test(v) ? v : undefined;
const num = (v: unknown) => {
  const n = typeof v === 'string' && v.trim() ? Number(v) : NaN;
  return Number.isFinite(n) && Math.abs(n) < 1e9 ? n : undefined;
};
/** NumberOfFrames (IS) when it is a whole number of at least one, else undefined. */
function frameCount(v: unknown): number | undefined {
  const n = num(v);
  return n !== undefined && Number.isInteger(n) && n >= 1 ? n : undefined;
}
/** A backslash-separated DS list of exactly `count` finite numbers, else undefined. */
function numbers(v: unknown, count: number): number[] | undefined {
  if (typeof v !== 'string') return undefined;
  const parts = v.split('\\').map(num);
  return parts.length === count && parts.every((p) => p !== undefined)
    ? (parts as number[])
    : undefined;
}

/**
 * The series tags as the worker read them, checked here: the file is untrusted, so a malformed
 * UID or number is dropped rather than stored, and a file without a series UID has no series.
 */
function seriesTags(
  tags: Record<string, string | number | undefined>,
): DicomSeriesTags | undefined {
  const seriesUid = uid(tags.seriesUid);
  if (!seriesUid) return undefined;
  const instanceNumber = num(tags.instanceNumber);
  const out: DicomSeriesTags = {
    seriesUid,
    studyUid: uid(tags.studyUid),
    sopInstanceUid: uid(tags.sopInstanceUid),
    instanceNumber:
      instanceNumber !== undefined && Number.isInteger(instanceNumber) ? instanceNumber : undefined,
    position: numbers(tags.position, 3) as DicomSeriesTags['position'],
    orientation: numbers(tags.orientation, 6) as DicomSeriesTags['orientation'],
    sliceLocation: num(tags.sliceLocation),
    frames: frameCount(tags.frames) ?? 1,
  };
  return Object.fromEntries(
    Object.entries(out).filter(([, v]) => v !== undefined),
  ) as unknown as DicomSeriesTags;
}
