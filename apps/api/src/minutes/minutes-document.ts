import { Inject, Injectable } from '@nestjs/common';
import type { Attachment, ConsultationView, Facility, Patient } from '@caunoi/shared';
import { AttachmentsRepository } from '../attachments/attachments.repository';
import { notFound } from '../common/errors';
import { ConsultationsRepository } from '../consultations/consultations.repository';
import { FacilitiesRepository } from '../facilities/facilities.repository';
import { PatientsRepository } from '../patients/patients.repository';
import { UsersRepository, type UserRecord } from '../users/users.repository';
import { MinutesRecord, MinutesRepository, SessionSummary } from './minutes.repository';

/** Everything a rendering of signed minutes needs (PDF, FHIR), gathered once. */
export interface MinutesDocument {
  minutes: MinutesRecord;
  consultation: ConsultationView;
  patient: Patient;
  requestingFacility: Facility;
  targetFacility: Facility;
  requester: UserRecord;
  chair: UserRecord;
  secretary: UserRecord | null;
  session: SessionSummary | null;
  attachments: Attachment[];
}

@Injectable()
export class MinutesDocumentAssembler {
  constructor(
    @Inject(MinutesRepository) private readonly minutes: MinutesRepository,
    @Inject(ConsultationsRepository) private readonly consultations: ConsultationsRepository,
    @Inject(PatientsRepository) private readonly patients: PatientsRepository,
    @Inject(FacilitiesRepository) private readonly facilities: FacilitiesRepository,
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(AttachmentsRepository) private readonly attachments: AttachmentsRepository,
  ) {}

  /** The latest signed version (or the given one); 404 when nothing is signed yet. */
  async signed(consultationId: string, version?: number): Promise<MinutesDocument> {
    const minutes = await this.minutes.latestSigned(consultationId, version);
    if (!minutes) throw notFound('Signed minutes');
    const consultation = (await this.consultations.findById(consultationId))!;
    const [patient, requestingFacility, targetFacility, people, session, attachments] =
      await Promise.all([
        this.patients.findById(consultation.patient.id),
        this.facilities.findById(consultation.requestingFacility.id),
        this.facilities.findById(consultation.targetFacility.id),
        this.users.findManyByIds([
          consultation.requester.id,
          minutes.chairId,
          ...(minutes.secretaryId ? [minutes.secretaryId] : []),
        ]),
        this.minutes.sessionOf(consultationId),
        this.attachments.listFor(consultationId),
      ]);
    const byId = (id: string) => people.find((u) => u.id === id)!;
    return {
      minutes,
      consultation,
      patient: patient!,
      requestingFacility: requestingFacility!,
      targetFacility: targetFacility!,
      requester: byId(consultation.requester.id),
      chair: byId(minutes.chairId),
      secretary: minutes.secretaryId ? byId(minutes.secretaryId) : null,
      session,
      attachments,
    };
  }
}
