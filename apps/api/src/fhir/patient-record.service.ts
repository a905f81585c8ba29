import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessPolicy } from '../access/access-policy.service';
import { AttachmentsRepository } from '../attachments/attachments.repository';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/current-user';
import { notFound } from '../common/errors';
import { MachineReadingsRepository } from '../machine-readings/machine-readings.repository';
import { MinutesDocumentAssembler } from '../minutes/minutes-document';
import { MinutesRepository } from '../minutes/minutes.repository';
import { PatientsRepository } from '../patients/patients.repository';
import { minutesBundle } from './minutes-bundle';
import { type ConsultationRecord, patientRecordBundle } from './patient-record-bundle';

@Injectable()
export class PatientRecordService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AccessPolicy) private readonly access: AccessPolicy,
    @Inject(PatientsRepository) private readonly patients: PatientsRepository,
    @Inject(AttachmentsRepository) private readonly attachments: AttachmentsRepository,
    @Inject(MinutesRepository) private readonly minutes: MinutesRepository,
    @Inject(MinutesDocumentAssembler) private readonly documents: MinutesDocumentAssembler,
    @Inject(MachineReadingsRepository) private readonly readings: MachineReadingsRepository,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  /**
   * Everything held about a patient, for the data subject's right of access. Answered by the
   * facility that registered the patient (the record's controller): other sites see only the
   * consultations they take part in, so an export from them would be partial.
   */
  async export(actor: Actor, patientId: string, baseUrl: string) {
    const { registeredHere } = await this.access.patient(actor, patientId);
    await this.access.require(
      actor,
      registeredHere,
      'The registering facility exports a patient record',
    );
    const patient = await this.patients.findById(patientId);
    if (!patient) throw notFound('Patient');
    const consultations: ConsultationRecord[] = [];
    for (const c of await this.consultationsOf(patientId)) {
      const signed = await this.minutes.latestSigned(c.id);
      const attachments = await this.attachments.listFor(c.id);
      const machineReadings = await this.readings.listForImages(attachments.map((a) => a.id));
      consultations.push({
        ...c,
        attachments,
        machineReadings: machineReadings.filter((r) => r.status === 'completed'),
        minutesBundle: signed ? minutesBundle(await this.documents.signed(c.id), baseUrl) : null,
      });
    }
    await this.audit.record(actor, 'patient.export', {
      type: 'patient',
      id: patientId,
      patientId,
      details: { consultations: consultations.length },
    });
    return patientRecordBundle(
      { patient, consents: await this.patients.consents(patientId), consultations },
      baseUrl,
      new Date(),
    );
  }

  private async consultationsOf(patientId: string) {
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT id, status, urgency, specialty, summary, question, created_at, submitted_at
         FROM consultations WHERE patient_id = $1 ORDER BY created_at, id`,
      [patientId],
    );
    return rows.map((r) => ({
      id: r.id as string,
      status: r.status as ConsultationRecord['status'],
      urgency: r.urgency as ConsultationRecord['urgency'],
      specialty: r.specialty as string,
      summary: r.summary as string,
      question: r.question as string,
      createdAt: (r.created_at as Date).toISOString(),
      submittedAt: r.submitted_at ? (r.submitted_at as Date).toISOString() : null,
    }));
  }
}
