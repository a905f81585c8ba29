import { setAuth } from './client';
import { api } from './endpoints';

function response(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

describe('scheduling suggestions call', () => {
  afterEach(() => {
    setAuth(null);
    jest.restoreAllMocks();
  });

  it('passes consultationId (the API then applies the request urgency horizon) and keeps outsideAvailability and urgency', async () => {
    const urls: string[] = [];
    jest.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
      urls.push(String(input));
      return response(200, {
        urgency: 'emergency',
        items: [
          {
            startsAt: '2026-11-23T20:00:00.000Z',
            endsAt: '2026-11-23T20:45:00.000Z',
            outsideAvailability: true,
          },
        ],
      });
    });
    const res = await api.suggestions({
      userIds: ['u1', 'u2'],
      facilityIds: ['f1'],
      durationMinutes: 45,
      consultationId: 'c1',
      limit: 5,
    });
    const url = new URL(urls[0], 'http://x');
    expect(url.pathname).toBe('/api/scheduling/suggestions');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      userIds: 'u1,u2',
      facilityIds: 'f1',
      durationMinutes: '45',
      consultationId: 'c1',
      limit: '5',
    });
    expect(res.urgency).toBe('emergency');
    expect(res.items).toEqual([
      {
        startsAt: '2026-11-23T20:00:00.000Z',
        endsAt: '2026-11-23T20:45:00.000Z',
        outsideAvailability: true,
      },
    ]);
  });

  it('list calls read the items of the {items, total?} envelope', async () => {
    const urls: string[] = [];
    jest.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
      urls.push(String(input));
      return response(200, { items: [{ id: 'a1' }], total: 1 });
    });
    expect(await api.attachments('c1')).toEqual([{ id: 'a1' }]);
    expect(await api.patients('Lan')).toEqual([{ id: 'a1' }]);
    expect(urls).toEqual(['/api/consultations/c1/attachments', '/api/patients?q=Lan']);
  });
});
