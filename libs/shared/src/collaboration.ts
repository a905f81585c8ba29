import { z } from 'zod';
import { text } from './text';

/**
 * Collaboration plane of a session (API's socket.io gateway, namespace `/collab`):
 * presence, chat, shared view, annotations. Client → server events carry an ack: Ack<T>.
 * The client connects with `auth: { token: <access token> }` and emits `session:enter`.
 */
export const COLLAB_NAMESPACE = '/collab';

export const EnterSessionSchema = z.object({ sessionId: z.uuid() });

/**
 * A fresh access token for a connected socket (`auth:refresh`). The server disconnects a socket
 * when the token it connected with expires, unless the client sends the next one first; the ack
 * says how long the new one lasts.
 */
export const ReauthSchema = z.object({ token: z.string().min(16).max(4096) });

export const ChatSendSchema = z.object({
  sessionId: z.uuid(),
  /** Client-generated so a resend after reconnect is stored once. */
  clientId: z.uuid(),
  text: text().trim().min(1).max(4000),
});
export type ChatSend = z.infer<typeof ChatSendSchema>;

/** A stored chat line (`chat:message` events, `GET /sessions/:id/messages` items). */
export const ChatMessageSchema = z.object({
  id: z.uuid(),
  clientId: z.uuid(),
  sessionId: z.uuid(),
  authorId: z.uuid(),
  authorName: z.string(),
  text: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
});
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

/** What the presenter shows; everyone's viewer follows it. */
export const ViewStateSchema = z.object({
  attachmentId: z.uuid().nullable(),
  page: z.number().int().min(1).max(10000).default(1),
  zoom: z.number().min(0.05).max(40).default(1),
  pan: z
    .object({ x: z.number().min(-1e5).max(1e5), y: z.number().min(-1e5).max(1e5) })
    .default({ x: 0, y: 0 }),
  /** DICOM window centre / width. */
  windowLevel: z
    .object({ center: z.number().min(-1e5).max(1e5), width: z.number().min(1).max(1e6) })
    .nullable()
    .default(null),
  /**
   * A CT/MR stack (a series of several instances, or a multi-frame file): the 0-based slice on
   * screen, in the series' order (`series.sliceIndex` of the attachments). `attachmentId` stays
   * the series' first instance while the slice moves. Absent for other documents. At most 9999,
   * so that annotations can keep it as their `page` (slice + 1).
   */
  slice: z.number().int().min(0).max(9999).optional(),
  /** Pointer in normalised image coordinates (0..1), null when hidden. */
  pointer: z
    .object({ x: z.number().min(0).max(1), y: z.number().min(0).max(1) })
    .nullable()
    .default(null),
});
export type ViewState = z.infer<typeof ViewStateSchema>;

export const ViewUpdateSchema = z.object({ sessionId: z.uuid(), view: ViewStateSchema });
export const PresenterRequestSchema = z.object({
  sessionId: z.uuid(),
  presenterId: z.uuid().nullable(),
});

/** A point in normalised content coordinates (0..1 across the image or page). */
const NormalisedPoint = z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]);

export const AnnotationSchema = z.object({
  sessionId: z.uuid(),
  attachmentId: z.uuid(),
  clientId: z.uuid(),
  page: z.number().int().min(1).max(10000).default(1),
  shape: z.discriminatedUnion('type', [
    z.object({
      type: z.literal('arrow'),
      from: z.tuple([z.number(), z.number()]),
      to: z.tuple([z.number(), z.number()]),
    }),
    z.object({
      type: z.literal('ellipse'),
      center: z.tuple([z.number(), z.number()]),
      rx: z.number(),
      ry: z.number(),
    }),
    z.object({
      type: z.literal('text'),
      at: z.tuple([z.number(), z.number()]),
      text: text().max(500),
    }),
    // Measurements. The value (mm, degrees) is not stored: every viewer computes it from the
    // shape and the file's own pixel spacing, so the label cannot disagree with the image.
    z.object({
      type: z.literal('distance'),
      from: NormalisedPoint,
      to: NormalisedPoint,
    }),
    z.object({
      type: z.literal('angle'),
      a: NormalisedPoint,
      vertex: NormalisedPoint,
      b: NormalisedPoint,
    }),
  ]),
});
export type Annotation = z.infer<typeof AnnotationSchema>;

/** A stored annotation (`annotation` events, `GET /sessions/:id/annotations` items). */
export const SavedAnnotationSchema = AnnotationSchema.omit({ sessionId: true }).extend({
  id: z.uuid(),
  sessionId: z.uuid().nullable(),
  authorId: z.uuid(),
  createdAt: z.iso.datetime({ offset: true }),
});
export type SavedAnnotation = z.infer<typeof SavedAnnotationSchema>;

export interface PresenceEntry {
  userId: string;
  fullName: string;
  facilityId: string | null;
  facilityName: string;
  online: boolean;
}

/** Client → server event names (each with an ack). */
export const COLLAB_CLIENT_EVENTS = {
  enter: 'session:enter',
  leave: 'session:leave',
  chatSend: 'chat:send',
  viewUpdate: 'view:update',
  presenterSet: 'presenter:set',
  annotationAdd: 'annotation:add',
  reauth: 'auth:refresh',
} as const;

/** Server → client events. */
export const COLLAB_SERVER_EVENTS = {
  presence: 'presence',
  chatMessage: 'chat:message',
  view: 'view:state',
  presenter: 'presenter',
  annotation: 'annotation',
  notification: 'notification',
  /** A clinician confirmed or rejected a machine finding: viewers of the image fetch it again. */
  machineReviewed: 'machine:reviewed',
} as const;

/** `machine:reviewed` event, to the sessions covering the image's consultation (ids only). */
export interface MachineReviewedEvent {
  attachmentId: string;
  findingId: string;
}

export const COLLAB_LIMITS = { maxEventBytes: 32 * 1024, eventsPerSecond: 30 } as const;

/** `presence` event: every invitee of the session, flagged online or not. */
export interface PresenceEvent {
  sessionId: string;
  entries: PresenceEntry[];
}

/**
 * The shared view as stored: who presents and what they show (null: nothing on screen yet).
 * Also the ack of `view:update`.
 */
export interface SharedView {
  presenterId: string | null;
  view: ViewState | null;
}

/** `view:state` event, to everyone in the session but the sender. */
export interface SharedViewEvent extends SharedView {
  sessionId: string;
}

/** `presenter` event and the ack of `presenter:set`. */
export interface PresenterEvent {
  sessionId: string;
  presenterId: string | null;
}

/** Ack of `session:enter`: what a (late) joiner needs to catch up. */
export interface SessionEnterAck extends SharedView {
  sessionId: string;
  presence: PresenceEntry[];
  messages: ChatMessage[];
  /** Of the attachment on screen, if any. */
  annotations: SavedAnnotation[];
}

/**
 * Kinds of live notification. The emergency ones: `emergency.ring` rings an on-call specialist
 * (the web plays a ring and shows a claim banner); `emergency.claimed` tells the requester (who is
 * taken into `sessionId`'s room) and the others rung that someone claimed it; `emergency.escalated`
 * tells the facility's coordinators that nobody claimed in time.
 */
export const NOTIFICATION_KINDS = [
  'session.invited',
  'session.updated',
  'session.cancelled',
  'consultation.updated',
  'emergency.ring',
  'emergency.claimed',
  'emergency.escalated',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Live notifications to a user's personal room (e.g. invited to a session). */
export interface UserNotification {
  kind: NotificationKind;
  sessionId?: string;
  consultationId?: string;
  title: string;
  at: string;
  /** emergency.claimed: who claimed it. */
  claimedBy?: string;
}
