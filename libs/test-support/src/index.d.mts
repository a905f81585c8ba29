/** Types of the test kit (the sources are plain ESM so .mjs tools can import them unbuilt). */

export declare const CHROMIUM_PATH: string;
export interface ChromiumOptions {
  /** Media plays without a user gesture (script-driven pages). */
  autoplay?: boolean;
  /** Three simulcast layers from a 640x480 capture (field trial). */
  allSimulcastLayers?: boolean;
}
export declare function chromiumArgs(opts?: ChromiumOptions): string[];
export declare function chromiumLaunchOptions(opts?: ChromiumOptions): {
  executablePath: string;
  args: string[];
  headless: true;
};

export type Vr =
  'UI' | 'OB' | 'UL' | 'CS' | 'DA' | 'TM' | 'LO' | 'PN' | 'SH' | 'US' | 'DS' | 'IS' | 'OW';
export declare function element(
  group: number,
  elem: number,
  vr: Vr,
  value: Buffer | string | number,
): Buffer;
export interface DicomOptions {
  rows?: number;
  columns?: number;
  windowCenter?: number;
  windowWidth?: number;
  patientName?: string;
  sopInstanceUid?: string;
  /** Claimed transfer syntax (the data stays explicit VR little endian): for refusal tests. */
  transferSyntax?: string;
  patientId?: string;
  /** Default DX / "CHEST PA". */
  modality?: string;
  description?: string;
  /** (0028,0030) [row spacing, column spacing] in mm. */
  pixelSpacing?: [number, number];
  /** (0018,1164) [row, column] in mm at the detector. */
  imagerPixelSpacing?: [number, number];
}
export declare function syntheticPixel(x: number, y: number, columns: number, rows: number): number;
export declare function syntheticGrey(x: number, y: number, columns: number, rows: number): number;
export declare function makeDicom(opts?: DicomOptions): Buffer;
export declare function makeJpegBaselineDicom(opts?: {
  rows?: number;
  columns?: number;
  quality?: number;
}): { file: Buffer; jpeg: Buffer; grey: Uint8Array };
export declare function chestXrayDicom(opts?: { sopInstanceUid?: string }): Buffer;
export declare function deflatedDicom(pixelBytes: number): Buffer;

export declare function encodeBaselineJpeg(
  grey: Uint8Array,
  width: number,
  height: number,
  quality?: number,
): Buffer;

export declare function makePdf(text?: string): Buffer;
export declare function labReportPdf(text?: string): Buffer;

export declare function tinyPng(): Buffer;
export declare function tinyJpeg(): Buffer;
export declare function labResultsJson(): Buffer;
export declare function windowsExecutable(): Buffer;

export interface CtSliceOptions {
  rows?: number;
  columns?: number;
  /** Frames in the one file (multi-frame), each `zStep` mm further. */
  frames?: number;
  z?: number;
  zStep?: number;
  zSpan?: number;
  /** null: the file has no SeriesInstanceUID. */
  seriesUid?: string | null;
  studyUid?: string;
  sopInstanceUid?: string;
  instanceNumber?: number;
  /** ImagePositionPatient; null leaves out position and orientation. Default [-160, -160, z]. */
  position?: [number, number, number] | null;
  orientation?: [number, number, number, number, number, number];
  sliceLocation?: number;
  description?: string;
  windowCenter?: number;
  windowWidth?: number;
}
export declare function ctHounsfield(
  x: number,
  y: number,
  columns: number,
  rows: number,
  z: number,
  zSpan?: number,
): number;
export declare function makeCtSlice(opts?: CtSliceOptions): Buffer;
export declare function makeCtSeries(
  count: number,
  opts?: CtSliceOptions & { spacing?: number },
): { instanceNumber: number; z: number; file: Buffer }[];
export interface StudyInstanceOptions {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
  patientId?: string;
  patientName?: string;
  studyDate?: string;
  studyDescription?: string;
  seriesDescription?: string;
  accessionNumber?: string;
  modality?: string;
  seriesNumber?: number;
  instanceNumber?: number;
  rows?: number;
  columns?: number;
  /** 8-bit JPEG baseline instead of 16-bit native pixels. */
  compressed?: boolean;
}
export declare function makeStudyInstance(opts: StudyInstanceOptions): Buffer;
export interface MadeStudy {
  studyInstanceUid: string;
  patientId: string;
  patientName: string;
  studyDate: string;
  studyDescription: string;
  accessionNumber: string;
  /** Series 1: native CT slices; series 2: one JPEG-compressed instance. */
  series: { uid: string; files: { sopInstanceUid: string; bytes: Buffer }[] }[];
}
export declare function makeStudy(opts?: {
  root?: string;
  patientId?: string;
  patientName?: string;
  studyDate?: string;
  studyDescription?: string;
  accessionNumber?: string;
  modality?: string;
  instances?: number;
}): MadeStudy;

/**
 * The first of `span` (default 1) consecutive ports free on TCP and UDP, below the ephemeral
 * range (outgoing connections cannot take them before the server listens); never twice per process.
 */
export declare function freePort(span?: number): Promise<number>;
export interface TestOrthanc {
  url: string;
  port: number;
  dicomWebRoot: string;
  upload(bytes: Buffer): Promise<{ ID: string; ParentStudy: string; ParentSeries: string }>;
  file(orthancId: string): Promise<Buffer>;
  stop(): Promise<void>;
}
export declare function startOrthanc(opts?: {
  users?: Record<string, string>;
  port?: number;
  /** Orthanc's own AE title (the calling AE of what it sends). */
  aeTitle?: string;
  /** Peers Orthanc may C-STORE to: name → [AE title, host, port]. */
  dicomModalities?: Record<string, [string, string, number]>;
}): Promise<TestOrthanc>;

/** @roamhq/wrtc with its classes installed as the browser's WebRTC globals (see node-webrtc.mjs). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export declare function nodeWebRTC(wrtc: any): any;
