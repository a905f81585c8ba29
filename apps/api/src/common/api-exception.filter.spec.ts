import { QueryFailedError } from 'typeorm';
import { describeForLog } from './api-exception.filter';

describe('error log view', () => {
  it('keeps the code and constraint of a failed query but never its parameters', () => {
    const err = new QueryFailedError(
      'INSERT INTO patients (full_name) VALUES ($1)',
      ['Nguyễn Văn An'],
      {
        code: '23505',
        constraint: 'patients_pkey',
        table: 'patients',
        message: 'duplicate key value violates unique constraint',
      } as unknown as Error,
    );
    const view = describeForLog(err);
    expect(view).toMatchObject({
      type: 'QueryFailedError',
      code: '23505',
      constraint: 'patients_pkey',
      table: 'patients',
    });
    expect(JSON.stringify(view)).not.toContain('Nguyễn');
    expect(JSON.stringify(view)).not.toContain('INSERT');
  });
});
