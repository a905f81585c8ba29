/** Finger travel (CSS px) per slice: a thumb's swipe across a phone's stage runs through ~30. */
export const SWIPE_STEP = 16;

/**
 * One-finger vertical swipe through a stack's slices on a touch screen, for the pan tool: the
 * first finger on the stage moves slices (up = next, as a page scrolls on), a second finger
 * hands the gesture to the stage, which pans with it — so two fingers pan. Each method answers
 * whether the event is the swipe's (then it must not reach the stage, which never saw that
 * finger go down). Mouse and pen keep the stage's drag-to-pan; the wheel moves slices there.
 */
export class SliceSwipe {
  /** Fingers whose events are the swipe's, from touching down to lifting. */
  private readonly own = new Set<number>();
  private fingers = 0;
  private driver: { id: number; y: number } | null = null;
  private travel = 0;

  down(id: number, y: number): boolean {
    this.fingers++;
    if (this.fingers > 1) {
      // A second finger: no more slices until every finger is lifted; the stage pans with it.
      this.driver = null;
      return false;
    }
    this.own.add(id);
    this.driver = { id, y };
    this.travel = 0;
    return true;
  }

  /** Whether the event is the swipe's, and how many slices to move (positive = next). */
  move(id: number, y: number): { own: boolean; steps: number } {
    if (!this.own.has(id)) return { own: false, steps: 0 };
    if (this.driver?.id !== id) return { own: true, steps: 0 };
    this.travel += this.driver.y - y;
    this.driver.y = y;
    const steps = Math.trunc(this.travel / SWIPE_STEP);
    this.travel -= steps * SWIPE_STEP;
    return { own: true, steps };
  }

  up(id: number): boolean {
    this.fingers = Math.max(0, this.fingers - 1);
    if (this.driver?.id === id) this.driver = null;
    return this.own.delete(id);
  }
}

/**
 * The slice last asked for. Several moves, notches or key presses can arrive before the slice
 * they asked for is rendered (a busy phone): each steps on from the one before, not from the
 * slice still on screen, so a swipe of 5 slices moves 5 however slowly the screen follows.
 */
export class SliceTarget {
  private asked = 0;

  /** The slice on screen (rendered, or driven by another site): steps start from it again. */
  shown(slice: number): void {
    this.asked = slice;
  }

  /** The slice `d` on from the last one asked for, within the stack's `count`. */
  step(d: number, count: number): number {
    this.asked = Math.max(0, Math.min(count - 1, this.asked + d));
    return this.asked;
  }
}
