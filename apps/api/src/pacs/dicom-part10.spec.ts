import dicomParser from 'dicom-parser';
import { makeStudyInstance } from '@caunoi/test-support';
import { inboxFacts, part10Header } from './dicom-part10';

describe('Part 10 files of received data sets', () => {
  const original = makeStudyInstance({
    studyInstanceUid: '1.2.3.1',
    seriesInstanceUid: '1.2.3.2',
    sopInstanceUid: '1.2.3.3.7',
    patientId: 'PID-77',
    patientName: 'VO^THI^E',
    studyDate: '20260214',
    modality: 'MR',
    compressed: true,
  });
  // What C-STORE carries: the data set alone, after the original file meta group.
  const dataSet = original.subarray(144 + original.readUInt32LE(140));

  it('puts a file meta group a DICOM reader accepts in front of the data set, which stays as sent', () => {
    const header = part10Header({
      sopClassUid: '1.2.840.10008.5.1.4.1.1.7',
      sopInstanceUid: '1.2.3.3.7',
      transferSyntaxUid: '1.2.840.10008.1.2.4.50',
      sourceAeTitle: 'MODALITY_1',
    });
    const file = Buffer.concat([header, dataSet]);
    const ds = dicomParser.parseDicom(new Uint8Array(file), { untilTag: 'x7fe00010' });
    expect(ds.string('x00020003')).toBe('1.2.3.3.7');
    expect(ds.string('x00020010')).toBe('1.2.840.10008.1.2.4.50');
    expect(ds.string('x00020016')).toBe('MODALITY_1');
    expect(Buffer.compare(file.subarray(header.length), dataSet)).toBe(0);
    expect(inboxFacts(file)).toEqual({
      studyUid: '1.2.3.1',
      seriesUid: '1.2.3.2',
      patientId: 'PID-77',
      patientName: 'VO^THI^E',
      studyDate: '2026-02-14',
      description: 'CT NGUC',
      modality: 'MR',
    });
  });

  it('reads the facts from a head cut inside the pixel data', () => {
    const header = part10Header({
      sopClassUid: '1.2.840.10008.5.1.4.1.1.7',
      sopInstanceUid: '1.2.3.3.7',
      transferSyntaxUid: '1.2.840.10008.1.2.4.50',
      sourceAeTitle: 'X',
    });
    const file = Buffer.concat([header, dataSet]);
    expect(inboxFacts(file.subarray(0, file.length - 40)).patientId).toBe('PID-77');
  });
});
