import { z } from 'zod';

/**
 * Every list the REST API returns has this shape: the page's `items` and, where the list is
 * paged, the `total` number of matches.
 */
export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int().min(0).optional() });

export interface List<T> {
  items: T[];
  total?: number;
}

/** A person as other records name them. */
export const PersonRefSchema = z.object({ id: z.uuid(), fullName: z.string() });
export type PersonRef = z.infer<typeof PersonRefSchema>;

/** A facility as other records name it. */
export const FacilityRefSchema = z.object({ id: z.uuid(), name: z.string() });
export type FacilityRef = z.infer<typeof FacilityRefSchema>;
