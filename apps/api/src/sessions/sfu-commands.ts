import { Inject, Injectable, Logger } from '@nestjs/common';
import { sfuEndSessionPath, type SfuEndSessionRequest } from '@caunoi/shared';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { PlacementService } from '../sfu-nodes/placement.service';

const TIMEOUT_MS = 5_000;

/**
 * The API's side of the SFU command channel (`POST <SFU_INTERNAL_URL>/internal/…`, bearer
 * SFU_SERVICE_TOKEN). A command that does not get through (SFU down, restarting, or an older SFU
 * without the command: 404) answers false; the lifecycle job sends it again later.
 */
@Injectable()
export class SfuCommands {
  private readonly log = new Logger('SfuCommands');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PlacementService) private readonly placement: PlacementService,
  ) {}

  /**
   * Closes the session's room and refuses later joins; true once the SFU has confirmed (or when
   * no SFU is configured: SFU_SERVICE_TOKEN unset, so there is nobody to tell).
   */
  async endSession(sessionId: string, reason: string): Promise<boolean> {
    const token = this.config.SFU_SERVICE_TOKEN;
    if (!token) return true;
    const body: SfuEndSessionRequest = { reason };
    try {
      // With several nodes: the one holding the room; none when that node is gone with its room.
      const base = await this.placement.commandUrlFor(sessionId);
      if (base === null) return true;
      const res = await fetch(new URL(sfuEndSessionPath(sessionId), base), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await res.body?.cancel();
      if (res.ok) return true;
      this.log.warn(`SFU refused to end session ${sessionId}: ${res.status}; will retry`);
    } catch (err) {
      this.log.warn(
        `SFU unreachable to end session ${sessionId}: ${(err as Error).message}; will retry`,
      );
    }
    return false;
  }
}
