import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  sfuEndSessionPath,
  sfuRecordingPath,
  type SfuEndSessionRequest,
  type SfuRecordingCommand,
} from '@caunoi/shared';
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

  /**
   * Starts or stops the recorder of the session's room. `accepted`: the SFU took the command;
   * `refused` carries the SFU's status (404: no room or no such recording there); `unreachable`:
   * no answer, or no SFU configured (nothing can record then).
   */
  async recording(
    sessionId: string,
    action: 'start' | 'stop',
    recordingId: string,
  ): Promise<{
    outcome: 'accepted' | 'refused' | 'unreachable';
    status?: number;
    message?: string;
  }> {
    const token = this.config.SFU_SERVICE_TOKEN;
    if (!token) return { outcome: 'unreachable', message: 'SFU_SERVICE_TOKEN is unset' };
    const body: SfuRecordingCommand = { recordingId };
    try {
      // The node holding the room; none when that node is gone (with its room and recorder).
      const base = await this.placement.commandUrlFor(sessionId);
      if (base === null)
        return { outcome: 'refused', status: 404, message: 'no node holds the room' };
      const res = await fetch(new URL(sfuRecordingPath(sessionId, action), base), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      const text = await res.text().catch(() => '');
      if (res.ok) return { outcome: 'accepted', status: res.status };
      let message = text.slice(0, 300);
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? message;
      } catch {
        // not JSON: keep the text
      }
      this.log.warn(`SFU refused recording ${action} of ${sessionId}: ${res.status} ${message}`);
      return { outcome: 'refused', status: res.status, message };
    } catch (err) {
      this.log.warn(`SFU unreachable for recording ${action}: ${(err as Error).message}`);
      return { outcome: 'unreachable', message: (err as Error).message };
    }
  }
}
