import { Dataset, Scp, Server, constants, log, responses } from 'dcmjs-dimse';
import type { association, requests } from 'dcmjs-dimse';
import type { Writable } from 'node:stream';
import type { DicomReceiver, InstanceSink, StoreOutcome } from './dicom-receiver';

/**
 * The DICOM side of the receiver (dcmjs-dimse), in its own module so that the library is loaded
 * only where the receiver is on: association checks, accepted contexts, C-ECHO and C-STORE.
 */
type Association = association.Association;
type PresentationContext = association.PresentationContext;
type CStoreRequest = requests.CStoreRequest;
type CEchoRequest = requests.CEchoRequest;
type CStoreResponse = responses.CStoreResponse;
type CEchoResponse = responses.CEchoResponse;

const { Status, PresentationContextResult, RejectResult, RejectSource, RejectReason } = constants;
const STORAGE_CLASSES = new Set<string>(Object.values(constants.StorageClass));
/** Deflated data sets would be inflated to be read: not accepted from the network. */
const DEFLATED = '1.2.840.10008.1.2.1.99';
const IMPLICIT_LE = '1.2.840.10008.1.2';
const STATUS: Record<StoreOutcome, number> = {
  stored: Status.Success,
  too_large: Status.ResourceLimitation,
  no_study: Status.MissingAttributeValue,
  failed: Status.ProcessingFailure,
};

/** Starts the SCP on `port`; the returned handle closes it. */
export function listen(
  receiver: DicomReceiver,
  port: number,
  onError: (err: unknown) => void,
): { close(): void } {
  // The library logs every connection and PDU at info to the console: only its errors, please
  // (faults reach our logger through onError and the receiver).
  log.setLevel('error');
  const server = new Server(scpFor(receiver));
  server.on('networkError', onError);
  server.listen(port, { associationTimeout: 30_000, pduTimeout: 60_000 });
  return server;
}

/** The SCP class the library instantiates per association, bound to the receiver. */
function scpFor(receiver: DicomReceiver): typeof Scp {
  return class InboxScp extends Scp {
    private association?: Association;
    private facilityId: string | null = null;
    private readonly sinks = new Map<string, InstanceSink>();

    override associationRequested(association: Association): void {
      this.association = association;
      const calling = association.getCallingAeTitle();
      void receiver
        .facilityFor(association.getCalledAeTitle(), calling)
        .catch(() => null)
        .then((facilityId) => {
          if (!facilityId) {
            this.sendAssociationReject(
              RejectResult.Permanent,
              RejectSource.ServiceUser,
              RejectReason.CalledAeNotRecognized,
            );
            return;
          }
          this.facilityId = facilityId;
          for (const c of association.getPresentationContexts()) {
            const ctx = association.getPresentationContext(c.id);
            const abstract = ctx.getAbstractSyntaxUid();
            if (abstract !== constants.SopClass.Verification && !STORAGE_CLASSES.has(abstract)) {
              ctx.setResult(PresentationContextResult.RejectAbstractSyntaxNotSupported);
              continue;
            }
            // The sender's first choice: compressed studies stay compressed, nothing is recoded.
            const syntax = ctx.getTransferSyntaxUids().find((ts: string) => ts !== DEFLATED);
            if (syntax) ctx.setResult(PresentationContextResult.Accept, syntax);
            else ctx.setResult(PresentationContextResult.RejectTransferSyntaxesNotSupported);
          }
          this.sendAssociationAccept();
        });
    }

    override associationReleaseRequested(): void {
      this.sendAssociationReleaseResponse();
    }

    override cEchoRequest(request: CEchoRequest, callback: (r: CEchoResponse) => void): void {
      const response = responses.CEchoResponse.fromRequest(request);
      response.setStatus(Status.Success);
      callback(response);
    }

    override createStoreWritableStream(ctx: PresentationContext, req: CStoreRequest): Writable {
      const sink = receiver.sink({
        sopClassUid: req.getAffectedSopClassUid(),
        sopInstanceUid: req.getAffectedSopInstanceUid(),
        transferSyntaxUid: ctx.getAcceptedTransferSyntaxUid() ?? IMPLICIT_LE,
        sourceAeTitle: this.association?.getCallingAeTitle() ?? '',
      });
      this.sinks.set(req.getAffectedSopInstanceUid(), sink);
      return sink;
    }

    override createDatasetFromStoreWritableStream(
      writable: Writable,
      ctx: PresentationContext,
      callback: (dataset: Dataset) => void,
    ): void {
      // The bytes are in the store already; the request carries no parsed data set.
      writable.end(() => callback(new Dataset({}, ctx.getAcceptedTransferSyntaxUid())));
    }

    override cStoreRequest(request: CStoreRequest, callback: (r: CStoreResponse) => void): void {
      const sopUid = request.getAffectedSopInstanceUid();
      const sink = this.sinks.get(sopUid);
      this.sinks.delete(sopUid);
      const answer = (outcome: StoreOutcome) => {
        const response = responses.CStoreResponse.fromRequest(request);
        response.setStatus(STATUS[outcome]);
        callback(response);
      };
      if (!sink || !this.facilityId) return answer('failed');
      void receiver
        .store(this.facilityId, sopUid, sink, this.association?.getCallingAeTitle() ?? '')
        .then(answer, () => answer('failed'));
    }
  } as unknown as typeof Scp;
}
