import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server as IoServer } from 'socket.io';
import type { Logger } from 'pino';
import type { SfuConfig } from './config/config';
import { WorkerPool } from './media/worker-pool';
import { TransportFactory } from './media/transport-factory';
import { RoomManager } from './rooms/room-manager';
import { attachSignalling, type SignallingOptions } from './signalling/gateway';
import { AttendanceReporter } from './attendance/attendance-reporter';
import { SfuMetrics } from './metrics/metrics';
import { httpHandler } from './metrics/http';
import { internalCommands } from './internal/commands';
import type { ClusterConfig } from './cluster/cluster-config';
import { NodeAnnouncer } from './cluster/node-announcer';
import { Recorders } from './recording/recorders';
import { RecordingDelivery } from './recording/recording-delivery';

export interface Sfu {
  config: SfuConfig;
  http: HttpServer;
  io: IoServer;
  pool: WorkerPool;
  rooms: RoomManager;
  attendance: AttendanceReporter;
  metrics: SfuMetrics;
  recorders: Recorders;
  /** Bound signalling port (useful when config.port is 0). */
  port: number;
  /** This node's announcement in Redis when it runs as one of several (REDIS_URL). */
  cluster: NodeAnnouncer | null;
  close(): Promise<void>;
}

/** Start workers, then the HTTP server (health, metrics, socket.io signalling). */
export async function startSfu(
  config: SfuConfig,
  log: Logger,
  extra: Partial<SignallingOptions> = {},
  clusterConfig: ClusterConfig | null = null,
): Promise<Sfu> {
  const metrics = new SfuMetrics();
  const pool = new WorkerPool(
    {
      size: config.workers,
      basePort: config.rtc.basePort,
      listenIp: config.rtc.listenIp,
      announcedAddress: config.rtc.announcedAddress,
      logLevel: config.mediasoupLogLevel,
    },
    log.child({ component: 'media' }),
  );
  await pool.start();
  pool.on('workerDied', (slot) => metrics.workerDeaths.inc({ worker: String(slot.index) }));

  const attendance = new AttendanceReporter(
    {
      apiUrl: config.attendance.apiUrl,
      serviceToken: config.attendance.serviceToken,
      onResult: (r) => metrics.attendance.inc({ result: r }),
    },
    log.child({ component: 'attendance' }),
  );
  const transports = new TransportFactory(pool, {
    maxIncomingBitrate: config.maxIncomingBitrate,
    maxOutgoingBitrate: config.maxOutgoingBitrate,
    initialOutgoingBitrate: config.initialOutgoingBitrate,
    iceServers: config.iceServers,
    turn: config.turn,
  });
  const rooms = new RoomManager(
    pool,
    transports,
    { maxConsumersPerRouter: config.maxConsumersPerRouter },
    {
      attendance: (room, peer, event) =>
        attendance.report({
          sessionId: room.id,
          userId: peer.userId,
          peerId: peer.id,
          event,
          at: new Date().toISOString(),
        }),
    },
    log.child({ component: 'rooms' }),
  );
  metrics.bind(rooms, pool);
  const recorders = new Recorders(
    rooms,
    transports,
    config.recording,
    new RecordingDelivery(config.attendance, log.child({ component: 'recording' })),
    log.child({ component: 'recording' }),
  );

  const commands = internalCommands(
    rooms,
    config.attendance.serviceToken,
    log.child({ component: 'internal' }),
    recorders,
  );
  const observe = httpHandler(pool, rooms, metrics, config.metricsPublic ?? false);
  const http = createServer((req, res) => {
    if (!commands(req, res)) observe(req, res);
  });
  const io = attachSignalling(
    http,
    rooms,
    { publicKey: config.joinTokenPublicKey, reconnectGraceMs: config.reconnectGraceMs, ...extra },
    metrics,
    log.child({ component: 'signalling' }),
  );
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  log.info(
    { port, host: config.host, workers: config.workers, announced: config.rtc.announcedAddress },
    'SFU listening',
  );
  if (config.rtc.announcedAddress === '127.0.0.1' && config.rtc.listenIp !== '127.0.0.1') {
    log.warn(
      'SFU_ANNOUNCED_ADDRESS is 127.0.0.1: only browsers on this machine can reach the media ports; set it to the public IP or DNS name',
    );
  }

  const cluster = clusterConfig
    ? new NodeAnnouncer(
        clusterConfig,
        port,
        config.workers,
        () => rooms.totals(),
        log.child({ component: 'cluster' }),
      )
    : null;
  await cluster?.start();

  let closing: Promise<void> | undefined;
  return {
    config,
    http,
    io,
    pool,
    rooms,
    attendance,
    metrics,
    recorders,
    port,
    cluster,
    close() {
      pool.beginClose();
      closing ??= (async () => {
        await cluster?.stop();
        rooms.closeAll();
        // Closing the rooms stopped their recorders: the files are delivered before we exit.
        await Promise.race([recorders.closeAll(), new Promise((r) => setTimeout(r, 30_000))]);
        await new Promise<void>((resolve) => io.close(() => resolve()));
        await attendance.close();
        await pool.close();
      })();
      return closing;
    },
  };
}
