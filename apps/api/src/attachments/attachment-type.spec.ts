import { claimedKinds, sniff } from './attachment-type';

describe('attachment type from bytes', () => {
  it('recognises each accepted format by its signature', () => {
    expect(sniff(Buffer.from('%PDF-1.7\n'))).toBe('pdf');
    expect(sniff(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('png');
    expect(sniff(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(sniff(Buffer.concat([Buffer.alloc(128), Buffer.from('DICM')]))).toBe('dicom');
    expect(sniff(Buffer.from('\uFEFF  {"results": []}'))).toBe('json?');
  });

  it('does not recognise executables, whatever they are called', () => {
    expect(sniff(Buffer.from('MZ\x90\x00\x03'))).toBeNull();
    expect(sniff(Buffer.from('\x7fELF\x02\x01'))).toBeNull();
    expect(sniff(Buffer.alloc(200))).toBeNull();
  });

  it('reads what the client claims from extension and declared type', () => {
    expect(claimedKinds('phim-phoi.DCM', 'application/octet-stream')).toEqual({
      ext: 'dicom',
      type: undefined,
      badExt: undefined,
    });
    expect(claimedKinds('ket-qua.json', 'application/json')).toMatchObject({
      ext: 'lab_results',
      type: 'lab_results',
    });
    expect(claimedKinds('setup.exe', undefined).badExt).toBe('exe');
  });
});
