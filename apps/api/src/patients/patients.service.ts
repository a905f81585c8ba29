import { Inject, Injectable } from '@nestjs/common';
import type {
  Consent,
  CorrectPatient,
  CreatePatient,
  List,
  Patient,
  PatientDetail,
  PatientRevision,
  PatientSearchQuery,
  RecordConsent,
} from '@caunoi/shared';
import { AccessPolicy } from '../access/access-policy.service';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/current-user';
import { notFound } from '../common/errors';
import { ConsentGate } from './consent-gate';
import { PatientRevisionsRepository } from './patient-revisions.repository';
import { PatientsRepository } from './patients.repository';

@Injectable()
export class PatientsService {
  constructor(
    @Inject(PatientsRepository) private readonly repo: PatientsRepository,
    @Inject(AccessPolicy) private readonly access: AccessPolicy,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(PatientRevisionsRepository) private readonly revisions: PatientRevisionsRepository,
    @Inject(ConsentGate) private readonly consent: ConsentGate,
  ) {}

  /** A requesting site registers its own patients. */
  async register(actor: Actor, input: CreatePatient): Promise<PatientDetail> {
    const patient = await this.repo.create(input, actor.user.facilityId!, actor.user.id);
    await this.audit.record(actor, 'patient.create', {
      type: 'patient',
      id: patient.id,
      patientId: patient.id,
    });
    return { ...patient, consents: [] };
  }

  async search(actor: Actor, q: PatientSearchQuery): Promise<List<Patient>> {
    const items = await this.repo.search(actor.user, q.q, q.limit, q.offset);
    // Each patient shown is a read of patient data; the search text itself is not stored.
    await this.audit.recordMany(
      actor,
      'patient.search',
      items.map((p) => ({ type: 'patient', id: p.id, patientId: p.id })),
    );
    return { items };
  }

  async get(actor: Actor, id: string): Promise<PatientDetail> {
    await this.access.patient(actor, id);
    const patient = await this.repo.findById(id);
    if (!patient) throw notFound('Patient');
    // The consents are read while the audit row is committed; nothing is answered before it is.
    const [, consents] = await Promise.all([
      this.audit.record(actor, 'patient.read', { type: 'patient', id, patientId: id }),
      this.repo.consents(id),
    ]);
    return { ...patient, consents, consentState: this.consent.statesFrom(consents) };
  }

  /** Consent is recorded by the site that registered the patient (where the patient is seen). */
  async recordConsent(actor: Actor, patientId: string, input: RecordConsent): Promise<Consent> {
    const { registeredHere } = await this.access.patient(actor, patientId);
    await this.access.require(
      actor,
      registeredHere,
      'Consent is recorded by the facility that registered the patient',
    );
    const { id } = await this.repo.addConsent(patientId, input, actor.user.id);
    await this.audit.record(actor, 'consent.record', {
      type: 'consent',
      id,
      patientId,
      details: { kind: input.kind, granted: input.granted },
    });
    const consents = await this.repo.consents(patientId);
    return consents.find((c) => c.id === id)!;
  }

  /**
   * Identity data is corrected by the site that registered the patient (the controller of the
   * record), keeping what was replaced and why.
   */
  async correct(actor: Actor, patientId: string, input: CorrectPatient): Promise<PatientDetail> {
    const { registeredHere } = await this.access.patient(actor, patientId);
    await this.access.require(
      actor,
      registeredHere,
      'Only the registering facility corrects a patient record',
    );
    const result = await this.revisions.correct(patientId, input, actor.user.id);
    if (!result) throw notFound('Patient');
    await this.audit.record(actor, 'patient.correct', {
      type: 'patient',
      id: patientId,
      patientId,
      details: { fields: result.changed },
    });
    return { ...result.patient, consents: await this.repo.consents(patientId) };
  }

  async history(actor: Actor, patientId: string): Promise<List<PatientRevision>> {
    await this.access.patient(actor, patientId);
    const items = await this.revisions.list(patientId);
    await this.audit.record(actor, 'patient.history', {
      type: 'patient',
      id: patientId,
      patientId,
    });
    return { items, total: items.length };
  }
}
