import type { Request, Response } from 'express';
import { mayCompress } from './compress-responses';

/** What the filter reads of a request and an answer: the path, the content type. */
function answer(path: string, contentType: string, range?: string) {
  const req = {
    path,
    headers: { 'accept-encoding': 'gzip', ...(range ? { range } : {}) },
  } as unknown as Request;
  const res = {
    getHeader: (name: string) => (name.toLowerCase() === 'content-type' ? contentType : undefined),
  } as unknown as Response;
  return mayCompress(req, res);
}

describe('which API answers are compressed', () => {
  it('JSON and text answers of the API are', () => {
    expect(answer('/api/sessions/1', 'application/json; charset=utf-8')).toBe(true);
    expect(answer('/api/consultations/1/minutes.csv', 'text/csv')).toBe(true);
    expect(answer('/metrics', 'text/plain; version=0.0.4')).toBe(true);
  });

  it('the credential routes never are, whatever their size or type', () => {
    for (const path of ['/api/auth', '/api/auth/login', '/api/auth/refresh', '/api/auth/mfa'])
      expect(answer(path, 'application/json; charset=utf-8')).toBe(false);
    // Only that prefix: a route that merely starts with the same letters is compressed.
    expect(answer('/api/authors', 'application/json')).toBe(true);
  });

  it('what is compressed already (PDF, images, DICOM) is not compressed again', () => {
    expect(answer('/api/consultations/1/minutes.pdf', 'application/pdf')).toBe(false);
    expect(answer('/api/attachments/1/content', 'image/jpeg')).toBe(false);
    expect(answer('/api/attachments/1/content', 'application/dicom')).toBe(false);
  });

  it('a part of a file (Range) is sent as its own bytes, even of a text file', () => {
    expect(answer('/api/attachments/1/content', 'text/plain')).toBe(true);
    expect(answer('/api/attachments/1/content', 'text/plain', 'bytes=0-99')).toBe(false);
  });
});
