/**
 * Where "now" comes from. Scheduling rules (minimum notice, urgency horizons, the join window)
 * depend on it, so tests replace it with a fixed clock instead of racing the wall clock.
 */
export const CLOCK = Symbol('CLOCK');

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stays where a test puts it. */
export class FixedClock implements Clock {
  constructor(private at: Date) {}
  now(): Date {
    return new Date(this.at.getTime());
  }
  set(at: Date | string): void {
    this.at = new Date(at);
  }
}
