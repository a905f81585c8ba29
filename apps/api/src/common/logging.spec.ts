import { logSafeRequest } from './logging.module';

describe('request log view', () => {
  it('keeps method and path but drops the query string and everything else', () => {
    const req = {
      id: 'r1',
      method: 'GET',
      url: '/api/patients?q=Nguy%E1%BB%85n%20V%C4%83n%20An&limit=5',
      headers: { authorization: 'Bearer secret' },
      body: { fullName: 'Nguyễn Văn An' },
    };
    const view = logSafeRequest(req);
    expect(view).toEqual({ id: 'r1', method: 'GET', path: '/api/patients' });
    expect(JSON.stringify(view)).not.toMatch(/Nguy|secret|limit/);
  });

  it('hides the secret token of a calendar feed', () => {
    const view = logSafeRequest({
      method: 'GET',
      url: '/api/calendar/Zm9vYmFyLXNlY3JldC10b2tlbi0xMjM0NTY.ics?x=1',
    });
    expect(view.path).toBe('/api/calendar/[token].ics');
    expect(JSON.stringify(view)).not.toContain('Zm9v');
  });
});
