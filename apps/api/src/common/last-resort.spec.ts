import { EventEmitter } from 'node:events';
import { installLastResort } from './last-resort';

describe('last-resort handler', () => {
  const setup = () => {
    const proc = Object.assign(new EventEmitter(), { exit: jest.fn() });
    const log = { error: jest.fn(), fatal: jest.fn() };
    installLastResort(log, proc as unknown as NodeJS.Process);
    return { proc, log };
  };

  it('logs a stray stream error and keeps the process', () => {
    const { proc, log } = setup();
    proc.emit('uncaughtException', new Error('Unexpected end of form'));
    expect(log.error).toHaveBeenCalledWith(
      expect.objectContaining({
        err: expect.objectContaining({ message: 'Unexpected end of form' }),
      }),
      'uncaught exception; still serving',
      'LastResort',
    );
    expect(proc.exit).not.toHaveBeenCalled();
  });

  it('logs an unhandled rejection and keeps the process', () => {
    const { proc, log } = setup();
    proc.emit(
      'unhandledRejection',
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    );
    expect(log.error).toHaveBeenCalledTimes(1);
    expect(proc.exit).not.toHaveBeenCalled();
  });

  it('exits with 1 on a programming error, for the supervisor to restart', () => {
    const { proc, log } = setup();
    proc.emit('uncaughtException', new TypeError('Cannot read properties of undefined'));
    expect(log.fatal).toHaveBeenCalledTimes(1);
    expect(proc.exit).toHaveBeenCalledWith(1);
  });
});
