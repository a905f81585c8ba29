import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchBlob } from '../api/client';
import { displayKindOf, type Attachment } from '@caunoi/shared';
import { decodeDicomImage, type DicomImage } from './dicom';

export type Loaded =
  | { kind: 'dicom'; image: DicomImage }
  | { kind: 'image'; url: string; width: number; height: number }
  | { kind: 'pdf'; doc: PdfDoc; pages: number }
  | { kind: 'other' };

export interface PdfDoc {
  numPages: number;
  getPage(n: number): Promise<{
    getViewport(o: { scale: number }): { width: number; height: number };
    render(o: {
      canvas: HTMLCanvasElement;
      canvasContext: CanvasRenderingContext2D;
      viewport: unknown;
    }): { promise: Promise<void>; cancel(): void };
  }>;
  destroy(): Promise<void>;
}

export const PDF_SCALE = 1.5;

async function loadPdf(data: ArrayBuffer): Promise<PdfDoc> {
  const pdfjs = await import('pdfjs-dist');
  const worker = await import('pdfjs-dist/build/pdf.worker.min.mjs?url');
  pdfjs.GlobalWorkerOptions.workerSrc = worker.default;
  return (await pdfjs.getDocument({ data: new Uint8Array(data) }).promise) as unknown as PdfDoc;
}

/**
 * Fetches an attachment and decodes it for the viewer (DICOM pixels, image, PDF document);
 * `onProgress` hears the bytes received so far.
 */
export async function loadAttachment(
  a: Attachment,
  onProgress?: (receivedBytes: number) => void,
): Promise<Loaded> {
  const blob = await fetchBlob(`/attachments/${a.id}/content`, onProgress);
  const kind = displayKindOf(a.kind);
  if (kind === 'dicom') return { kind, image: await decodeDicomImage(await blob.arrayBuffer()) };
  if (kind === 'pdf') {
    const doc = await loadPdf(await blob.arrayBuffer());
    return { kind, doc, pages: doc.numPages };
  }
  if (kind === 'image') {
    const url = URL.createObjectURL(blob);
    const img = new Image();
    img.src = url;
    await img.decode();
    return { kind, url, width: img.naturalWidth, height: img.naturalHeight };
  }
  return { kind: 'other' };
}

/**
 * The selected attachment, loaded once per selection. `onFirstDicom` runs when a DICOM opens,
 * so whoever drives can start from the file's own window.
 */
export function useLoadedAttachment(
  selected: Attachment | null,
  onFirstDicom: (image: DicomImage) => void,
) {
  const { t } = useTranslation();
  const [loaded, setLoaded] = useState<{ id: string; data: Loaded } | null>(null);
  const [error, setError] = useState<string | null>(null);
  // How much of the selected file has arrived: { id, bytes }.
  const [received, setReceived] = useState<{ id: string; bytes: number } | null>(null);
  useEffect(() => {
    if (!selected) return;
    if (loaded?.id === selected.id) return;
    let alive = true;
    setError(null);
    setReceived({ id: selected.id, bytes: 0 });
    loadAttachment(selected, (bytes) => alive && setReceived({ id: selected.id, bytes }))
      .then((data) => {
        if (!alive) return;
        setLoaded({ id: selected.id, data });
        if (data.kind === 'dicom') onFirstDicom(data.image);
      })
      .catch(
        (err) =>
          alive &&
          setError(err?.code ? t(`viewer.dicomError.${err.code}`) : t('viewer.loadFailed')),
      );
    return () => {
      alive = false;
    };
  }, [selected?.id]);
  const data = loaded && selected && loaded.id === selected.id ? loaded.data : null;
  const download =
    selected && !data && received?.id === selected.id
      ? { receivedBytes: received.bytes, totalBytes: selected.sizeBytes }
      : null;
  return { data, error, download };
}
