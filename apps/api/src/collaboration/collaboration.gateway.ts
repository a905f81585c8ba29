import { Inject, Logger, OnApplicationShutdown, OnModuleDestroy } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import { createAdapter } from '@socket.io/redis-adapter';
import { RedisLink } from './redis-link';
import type { Namespace, Socket } from 'socket.io';
import type { z } from 'zod';
import {
  Ack,
  AckErrorCode,
  AnnotationSchema,
  ChatSendSchema,
  COLLAB_CLIENT_EVENTS,
  COLLAB_LIMITS,
  COLLAB_NAMESPACE,
  COLLAB_SERVER_EVENTS,
  EnterSessionSchema,
  PresenceEntry,
  PresenceEvent,
  PresenterRequestSchema,
  ReauthSchema,
  SessionEnterAck,
  SharedViewEvent,
  ViewUpdateSchema,
} from '@caunoi/shared';
import { DATABASE_UNAVAILABLE } from '../common/api-exception.filter';
import { isDatabaseUnavailable } from '../common/database-errors';
import { SignOuts } from '../auth/sign-outs';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { CollabNotifier, sessionRoom } from './collab-notifier';
import { CollabError, eventArguments, fail, payloadBytes, SocketRateLimit } from './event-guard';
import { SocketIdentity, SocketSignIn } from './socket-sign-in';
import type { Actor, AuthUser } from '../auth/current-user';
import { ApiException } from '../common/errors';
import { CollaborationService } from './collaboration.service';

/** What a socket carries (serialisable: the Redis adapter ships it to other instances for presence). */
type CollabSocket = Socket & { data: { user: SocketIdentity } };

const KNOWN_EVENTS = new Set<string>(Object.values(COLLAB_CLIENT_EVENTS));

const actorOf = (socket: CollabSocket): Actor => ({
  user: socket.data.user as AuthUser,
  address: socket.handshake.address ?? null,
});

/** A domain refusal from the services, as the acknowledgement code of the same meaning. */
function ackCode(err: ApiException): AckErrorCode {
  const status = err.getStatus();
  if (status === 404) return 'not_found';
  if (status === 403) return 'forbidden';
  if (status === 409) return 'conflict';
  if (status === 400) return 'invalid_message';
  return 'internal';
}

/**
 * The transport of a session's collaboration plane (namespace /collab): authentication, rooms,
 * presence and broadcasts. Every event is size-checked, rate-limited and validated against the
 * shared schemas before it reaches CollaborationService (which holds the rules), and every failure
 * is an error ack — the gateway never throws.
 */
@WebSocketGateway({
  namespace: COLLAB_NAMESPACE,
  cors: { origin: true, credentials: true },
  maxHttpBufferSize: 1_000_000,
})
export class CollaborationGateway
  implements OnGatewayInit, OnGatewayConnection, OnModuleDestroy, OnApplicationShutdown
{
  private readonly log = new Logger('CollaborationGateway');
  private nsp!: Namespace;
  private redis: RedisLink | null = null;
  private closing = false;

  constructor(
    @Inject(CollaborationService) private readonly collab: CollaborationService,
    @Inject(SocketSignIn) private readonly signIn: SocketSignIn,
    @Inject(SignOuts) private readonly signOuts: SignOuts,
    @Inject(CollabNotifier) private readonly notifier: CollabNotifier,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  afterInit(nsp: Namespace): void {
    this.nsp = nsp;
    this.notifier.attach(nsp);
    // The handshake carries the access token; refusing here gives the client a connect_error.
    nsp.use((socket, next) => {
      this.signIn.check((socket.handshake.auth as { token?: unknown } | undefined)?.token).then(
        (user) => {
          socket.data.user = user;
          next();
        },
        (err: Error) =>
          next(
            new Error(
              isDatabaseUnavailable(err)
                ? `unavailable: ${DATABASE_UNAVAILABLE.message}`
                : `unauthorized: ${err.message}`,
            ),
          ),
      );
    });
    this.signOuts.onSignOut((e) => this.signIn.disconnect(nsp, e));
    if (this.config.REDIS_URL) {
      // Several API instances share rooms (and presence, via fetchSockets) through Redis.
      this.redis = new RedisLink(this.config.REDIS_URL, this.log);
      nsp.server.adapter(createAdapter(this.redis.pub, this.redis.sub, { key: 'caunoi:collab' }));
    }
  }

  onModuleDestroy(): void {
    this.closing = true; // no presence broadcasts for the sockets we are about to drop
    this.nsp?.disconnectSockets(true);
  }

  /**
   * After Nest has closed the socket.io server. Its adapter unsubscribes without being awaited,
   * so give those commands a moment before quitting, or they fail on a closed connection.
   */
  async onApplicationShutdown(): Promise<void> {
    if (!this.redis) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
    await this.redis.close();
  }

  handleConnection(socket: CollabSocket): void {
    const user = socket.data.user;
    if (!user) return void socket.disconnect(true);
    void this.signIn.attach(socket, user, (socket.handshake.auth as { token: string }).token);
    const limit = new SocketRateLimit();
    // One socket's events are applied one after another, in the order it sent them: handled
    // side by side, a presenter's quick second view update (a few queries) overtook the first
    // (a share: more queries), and everyone was left on the older view.
    let inOrder: Promise<void> = Promise.resolve();

    const on = <S extends z.ZodType>(
      event: string,
      schema: S,
      handler: (data: z.output<S>) => Promise<unknown>,
    ) => {
      socket.on(event, (...args: unknown[]) => {
        const { payload, reply, problem } = eventArguments(event, args);
        // A flood is refused as it arrives, not after the events queued ahead of it.
        if (!limit.take())
          return reply(
            fail(
              'rate_limited',
              `More than ${COLLAB_LIMITS.eventsPerSecond} events per second; slow down`,
            ),
          );
        if (payloadBytes(payload) > COLLAB_LIMITS.maxEventBytes) {
          return reply(
            fail('limit_exceeded', `Event larger than ${COLLAB_LIMITS.maxEventBytes} bytes`),
          );
        }
        if (problem) return reply(problem);
        const parsed = schema.safeParse(payload);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          return reply(
            fail(
              'invalid_message',
              `${event}: ${issue?.path.join('.') || '(payload)'} ${issue?.message ?? 'is invalid'}`,
            ),
          );
        }
        // Never left rejected: one failure must not silence the socket's later events.
        inOrder = inOrder
          .then(() => handle(event, parsed.data, handler, reply))
          .catch((err) => this.log.error(`${event} failed: ${(err as Error).stack ?? err}`));
      });
    };
    const handle = async <T>(
      event: string,
      data: T,
      handler: (data: T) => Promise<unknown>,
      reply: (ack: Ack<unknown>) => void,
    ) => {
      try {
        reply({ ok: true, data: (await handler(data)) ?? null });
      } catch (err) {
        if (err instanceof CollabError) return reply(fail(err.code, err.message));
        if (isDatabaseUnavailable(err))
          return reply(fail('unavailable', DATABASE_UNAVAILABLE.message));
        if (err instanceof ApiException) return reply(fail(ackCode(err), err.message));
        this.log.error(`${event} failed: ${(err as Error).stack ?? err}`);
        reply(fail('internal', 'The server could not handle this event; try again'));
      }
    };

    socket.onAny((event: string, ...args: unknown[]) => {
      if (KNOWN_EVENTS.has(event)) return;
      const ack = args[args.length - 1];
      if (typeof ack === 'function')
        ack(fail('invalid_message', `Unknown event ${String(event).slice(0, 50)}`));
    });

    on(COLLAB_CLIENT_EVENTS.reauth, ReauthSchema, ({ token }) =>
      this.signIn.reauth(socket, user, token),
    );
    on(COLLAB_CLIENT_EVENTS.enter, EnterSessionSchema, ({ sessionId }) =>
      this.enter(socket, sessionId),
    );
    on(COLLAB_CLIENT_EVENTS.leave, EnterSessionSchema, async ({ sessionId }) => {
      await socket.leave(sessionRoom(sessionId));
      await this.broadcastPresence(sessionId);
      return { sessionId };
    });
    on(COLLAB_CLIENT_EVENTS.chatSend, ChatSendSchema, async (m) => {
      this.requireEntered(socket, m.sessionId);
      const { message, created } = await this.collab.chat(
        actorOf(socket),
        m.sessionId,
        m.clientId,
        m.text,
      );
      if (created)
        this.nsp.to(sessionRoom(m.sessionId)).emit(COLLAB_SERVER_EVENTS.chatMessage, message);
      return message;
    });
    on(COLLAB_CLIENT_EVENTS.viewUpdate, ViewUpdateSchema, async ({ sessionId, view }) => {
      this.requireEntered(socket, sessionId);
      const stored = await this.collab.updateView(actorOf(socket), sessionId, view);
      const event: SharedViewEvent = { sessionId, ...stored };
      socket.to(sessionRoom(sessionId)).emit(COLLAB_SERVER_EVENTS.view, event);
      return stored;
    });
    on(
      COLLAB_CLIENT_EVENTS.presenterSet,
      PresenterRequestSchema,
      async ({ sessionId, presenterId }) => {
        this.requireEntered(socket, sessionId);
        const result = await this.collab.setPresenter(actorOf(socket), sessionId, presenterId);
        this.nsp.to(sessionRoom(sessionId)).emit(COLLAB_SERVER_EVENTS.presenter, result);
        return result;
      },
    );
    on(COLLAB_CLIENT_EVENTS.annotationAdd, AnnotationSchema, async (a) => {
      this.requireEntered(socket, a.sessionId);
      const saved = await this.collab.annotate(actorOf(socket), a);
      this.nsp.to(sessionRoom(a.sessionId)).emit(COLLAB_SERVER_EVENTS.annotation, saved);
      return saved;
    });

    // Rooms are gone by 'disconnect'; remember them to tell the others who left.
    socket.on('disconnecting', () => {
      const rooms = [...socket.rooms]
        .filter((r) => r.startsWith('session:'))
        .map((r) => r.slice('session:'.length));
      socket.once('disconnect', () => {
        if (this.closing) return;
        for (const id of rooms) void this.broadcastPresence(id).catch(() => undefined);
      });
    });
  }

  private async enter(socket: CollabSocket, sessionId: string): Promise<SessionEnterAck> {
    const entered = await this.collab.enter(actorOf(socket), sessionId);
    await socket.join(sessionRoom(sessionId));
    const presence = await this.broadcastPresence(sessionId);
    return { ...entered, presence };
  }

  /** Everyone invited, flagged online if a socket of theirs (on any instance) is in the room. */
  private async broadcastPresence(sessionId: string): Promise<PresenceEntry[]> {
    const online = new Map<string, SocketIdentity>();
    // Without Redis only this instance's sockets can be asked; a guess beats no answer.
    const scope = this.redis?.lost ? this.nsp.local : this.nsp;
    for (const s of await scope.in(sessionRoom(sessionId)).fetchSockets()) {
      const u = (s.data as { user?: SocketIdentity }).user;
      if (u) online.set(u.id, u);
    }
    const entries = (await this.collab.participants(sessionId)).map(
      (p: Omit<PresenceEntry, 'online'>) => ({ ...p, online: online.has(p.userId) }),
    );
    const event: PresenceEvent = { sessionId, entries };
    this.nsp.to(sessionRoom(sessionId)).emit(COLLAB_SERVER_EVENTS.presence, event);
    return entries;
  }

  private requireEntered(socket: Socket, sessionId: string): void {
    if (!socket.rooms.has(sessionRoom(sessionId)))
      throw new CollabError('forbidden', 'Enter the session first (session:enter)');
  }
}
