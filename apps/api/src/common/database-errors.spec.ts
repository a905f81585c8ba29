import {
  QueryFailedError,
  QueryRunnerAlreadyReleasedError,
  QueryRunnerProviderAlreadyReleasedError,
} from 'typeorm';
import { databaseErrorBody, isDatabaseUnavailable } from './database-errors';

const failed = (driverError: Record<string, unknown>) =>
  new QueryFailedError('UPDATE …', ['Nguyễn Văn An'], driverError as unknown as Error);

describe('database errors as answers', () => {
  it.each([
    [
      'a foreign key to nothing',
      { code: '23503', detail: 'Key (facility_id)=(6c1…) is not present in table "facilities".' },
      400,
      'facilityId',
    ],
    [
      'a row still referenced',
      { code: '23503', detail: 'Key (id)=(1) is still referenced from table "x".' },
      409,
      'id',
    ],
    [
      'a unique expression',
      { code: '23505', detail: 'Key (lower(email::text))=(a@b.vn) already exists.' },
      409,
      'email',
    ],
    [
      'a check constraint',
      { code: '23514', table: 'consultations', constraint: 'consultations_status_check' },
      400,
      'status',
    ],
    ['a missing value', { code: '23502', column: 'full_name' }, 400, 'fullName'],
    ['a NUL in text', { code: '22021' }, 400, '(root)'],
    ['a deadlock', { code: '40P01' }, 409, '(root)'],
  ])('%s', (_what, driverError, status, path) => {
    const body = databaseErrorBody(failed(driverError));
    expect(body).toMatchObject({ statusCode: status, details: [{ path }] });
    expect(JSON.stringify(body)).not.toMatch(/a@b\.vn|6c1|Nguyễn/);
  });

  it('leaves other failures to the caller', () => {
    expect(databaseErrorBody(failed({ code: '42P01' }))).toBeNull();
    expect(databaseErrorBody(new Error('boom'))).toBeNull();
  });

  it.each([
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    [new Error('Connection terminated unexpectedly')],
    [failed({ code: '57P01', message: 'terminating connection due to administrator command' })],
    [failed({ code: '57P03', message: 'the database system is starting up' })],
    [new Error('timeout exceeded when trying to connect')],
    [new QueryRunnerProviderAlreadyReleasedError()],
    // The COMMIT of a transaction whose connection the server dropped (seen in the outage test).
    [new QueryRunnerAlreadyReleasedError()],
  ])('recognises an outage: %s', (err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it('a bad query is not an outage', () => {
    expect(isDatabaseUnavailable(failed({ code: '23505' }))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
  });
});
