import { z } from 'zod';

export const UuidSchema = z.uuid();
/** ISO 8601 instant with an offset or Z; stored in UTC. */
export const InstantSchema = z.iso.datetime({ offset: true });
export const IsoDateSchema = z.iso.date();

/** Query-string lists arrive as "a,b" or repeated keys; normalise to string[]. */
export const csvList = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => {
    if (v === undefined || v === '') return [];
    const parts = Array.isArray(v) ? v : [v];
    return parts
      .flatMap((p) => String(p).split(','))
      .map((s) => s.trim())
      .filter(Boolean);
  }, z.array(item));
