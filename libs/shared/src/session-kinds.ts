import { z } from 'zod';

/**
 * What a session is for: `consultation` (a multi-site case discussion around one or more
 * requests) or `training` (tele-education: a central facility teaches many sites at once, with no
 * identifiable patient record linked).
 */
export const SESSION_KINDS = ['consultation', 'training'] as const;
export const SessionKindSchema = z.enum(SESSION_KINDS);
export type SessionKind = z.infer<typeof SessionKindSchema>;

/** A training room holds at most this many invited sites (facilities). */
export const TRAINING_MAX_SITES = 50;

/**
 * Last-N of a training room: each receiver is forwarded at most this many videos (the presenter,
 * and the site holding the floor or the presenter's shared screen). Other videos stay paused.
 */
export const TRAINING_MAX_VIDEOS = 2;
