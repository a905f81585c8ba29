import type { DicomFile, DicomImage } from '../dicom';
import type { StackSlice } from './stacks';

export type SliceState = 'idle' | 'loading' | 'ready' | 'failed';

export interface StackLoaderOptions {
  /** Downloads in flight at once: enough to fill a line, few enough not to starve the call. */
  concurrency?: number;
  /**
   * Decoded pixels kept, in bytes. 300 slices of 512×512×16 bit are 150 MiB; beyond the budget
   * the slices farthest from the one on screen are dropped (and fetched again if scrolled to).
   */
  budgetBytes?: number;
}

export const STACK_CONCURRENCY = 4;
export const STACK_BUDGET_BYTES = 384 * 1024 * 1024;

/**
 * Loads the slices of a stack in the background, nearest to the slice on screen first, so the
 * first image shows as soon as its own file arrives and scrolling finds its neighbours ready.
 * `fetchFile` gets an attachment's bytes; `open` reads them (openDicom). A multi-frame file is
 * fetched once and its frames decoded on demand; a single-frame file's bytes are let go once
 * decoded.
 */
export class StackLoader {
  private readonly states: SliceState[];
  private readonly images = new Map<number, DicomImage>();
  private readonly files = new Map<string, Promise<DicomFile>>();
  private readonly framesLeft = new Map<string, number>();
  private focusAt = 0;
  private inFlight = 0;
  private bytes = 0;
  private sliceBytes = 0;
  private disposed = false;
  private firstFile: DicomFile | null = null;
  private readonly concurrency: number;
  private readonly budget: number;

  constructor(
    private readonly slices: StackSlice[],
    private readonly fetchFile: (attachmentId: string) => Promise<ArrayBuffer>,
    private readonly open: (bytes: ArrayBuffer) => Promise<DicomFile>,
    private readonly onChange: () => void,
    options: StackLoaderOptions = {},
  ) {
    this.states = slices.map(() => 'idle');
    this.concurrency = options.concurrency ?? STACK_CONCURRENCY;
    this.budget = options.budgetBytes ?? STACK_BUDGET_BYTES;
    for (const s of slices)
      this.framesLeft.set(s.attachmentId, (this.framesLeft.get(s.attachmentId) ?? 0) + 1);
  }

  get count(): number {
    return this.slices.length;
  }
  get loaded(): number {
    return this.states.filter((s) => s === 'ready').length;
  }
  /** The first file opened: its size and VOI windows stand for the stack's. */
  get header(): DicomFile | null {
    return this.firstFile;
  }
  state(index: number): SliceState {
    return this.states[index] ?? 'failed';
  }
  image(index: number): DicomImage | null {
    return this.images.get(index) ?? null;
  }

  /** The slice on screen: loading continues outward from it. */
  focus(index: number): void {
    this.focusAt = index;
    this.pump();
  }

  /** Tries a failed slice again (e.g. after a network blip). */
  retry(index: number): void {
    if (this.states[index] === 'failed') this.states[index] = 'idle';
    this.pump();
  }

  dispose(): void {
    this.disposed = true;
    this.images.clear();
    this.files.clear();
  }

  private next(): number {
    // At the budget, only slices nearer than the farthest one kept are worth fetching (one of
    // those is then dropped): the kept slices become the ones around the screen, without churn.
    let reach = Infinity;
    if (this.sliceBytes && this.bytes + this.sliceBytes > this.budget) {
      reach = 0;
      for (const i of this.images.keys()) reach = Math.max(reach, Math.abs(i - this.focusAt));
    }
    let best = -1;
    for (let i = 0; i < this.states.length; i++) {
      if (this.states[i] !== 'idle') continue;
      const d = Math.abs(i - this.focusAt);
      if (d >= reach) continue;
      // Ties go forward: people scroll on in the direction they started.
      const bd = Math.abs(best - this.focusAt);
      if (best < 0 || d < bd || (d === bd && i > this.focusAt)) best = i;
    }
    return best;
  }

  private pump(): void {
    while (!this.disposed && this.inFlight < this.concurrency) {
      const index = this.next();
      if (index < 0) return;
      this.states[index] = 'loading';
      this.inFlight++;
      void this.load(index).finally(() => {
        this.inFlight--;
        if (!this.disposed) {
          this.onChange();
          this.pump();
        }
      });
    }
  }

  private fileOf(attachmentId: string): Promise<DicomFile> {
    let file = this.files.get(attachmentId);
    if (!file) {
      file = this.fetchFile(attachmentId).then((bytes) => this.open(bytes));
      this.files.set(attachmentId, file);
      file.catch(() => this.files.delete(attachmentId));
    }
    return file;
  }

  private async load(index: number): Promise<void> {
    const { attachmentId, frame } = this.slices[index];
    try {
      const file = await this.fileOf(attachmentId);
      this.firstFile ??= file;
      const image = await file.frame(frame);
      if (this.disposed) return;
      this.images.set(index, image);
      this.states[index] = 'ready';
      this.bytes += image.pixels.byteLength;
      this.sliceBytes = image.pixels.byteLength;
      const left = (this.framesLeft.get(attachmentId) ?? 1) - 1;
      this.framesLeft.set(attachmentId, left);
      if (left <= 0) this.files.delete(attachmentId);
      this.evict();
    } catch {
      if (!this.disposed) this.states[index] = 'failed';
    }
  }

  /** Over budget: drop the decoded slices farthest from the one on screen. */
  private evict(): void {
    while (this.bytes > this.budget) {
      let far = -1;
      for (const i of this.images.keys())
        if (far < 0 || Math.abs(i - this.focusAt) > Math.abs(far - this.focusAt)) far = i;
      if (far < 0 || far === this.focusAt) return;
      const img = this.images.get(far)!;
      this.images.delete(far);
      this.bytes -= img.pixels.byteLength;
      this.states[far] = 'idle';
      // Its file was let go: fetching it again needs the frame counted again.
      const id = this.slices[far].attachmentId;
      this.framesLeft.set(id, (this.framesLeft.get(id) ?? 0) + 1);
    }
  }
}
