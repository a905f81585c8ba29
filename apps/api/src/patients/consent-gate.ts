import { Inject, Injectable } from '@nestjs/common';
import { CONSENT_KINDS, type ConsentKind, type ConsentStates } from '@caunoi/shared';
import { consentRefused } from '../common/errors';
import { PatientsRepository } from './patients.repository';

/**
 * Consent is not only checked at submission: a teleconsultation consent withdrawn later stops
 * booking a session, admission to the media room and sharing the patient's files on screen, and
 * a recording consent will gate recording. The latest record of each kind counts.
 */
@Injectable()
export class ConsentGate {
  constructor(@Inject(PatientsRepository) private readonly repo: PatientsRepository) {}

  async states(patientId: string): Promise<ConsentStates> {
    return toStates(await this.repo.latestConsents(patientId));
  }

  /**
   * The same states from the patient's consent records already at hand (oldest first, as the
   * patient's page lists them): a read of the page needs no second query.
   */
  statesFrom(records: { kind: ConsentKind; granted: boolean }[]): ConsentStates {
    const latest: Partial<Record<ConsentKind, boolean>> = {};
    for (const r of records) latest[r.kind] = r.granted;
    return toStates(latest);
  }

  /** 409 (`consent_withdrawn` / `consent_missing`) unless the patient's consent of `kind` stands. */
  async require(patientId: string, kind: ConsentKind, doing: string): Promise<void> {
    const state = (await this.states(patientId))[kind];
    if (state !== 'granted') throw consentRefused(kind, state, doing);
  }

  /**
   * 409 `consent_withdrawn` once the teleconsultation consent is withdrawn. A request reaches
   * booking, the room and the shared screen only after submission, which required the consent;
   * what stops them later is its withdrawal.
   */
  async requireTeleconsultation(patientId: string, doing: string): Promise<void> {
    const state = (await this.states(patientId)).teleconsultation;
    if (state === 'withdrawn') throw consentRefused('teleconsultation', state, doing);
  }

  /** For the requests a session covers: any patient whose consent no longer stands stops it. */
  async requireForAll(patientIds: string[], doing: string): Promise<void> {
    for (const id of new Set(patientIds)) await this.requireTeleconsultation(id, doing);
  }
}

function toStates(latest: Partial<Record<ConsentKind, boolean>>): ConsentStates {
  const state = (kind: ConsentKind) =>
    latest[kind] === undefined ? 'not_recorded' : latest[kind] ? 'granted' : 'withdrawn';
  return Object.fromEntries(CONSENT_KINDS.map((k) => [k, state(k)])) as ConsentStates;
}
