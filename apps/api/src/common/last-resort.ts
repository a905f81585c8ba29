import { describeForLog } from './api-exception.filter';

/** Nest's logger contract as nestjs-pino reads it: merge object, message, context last. */
interface Log {
  error(obj: object, msg: string, context: string): void;
  fatal?(obj: object, msg: string, context: string): void;
}
const CONTEXT = 'LastResort';

/**
 * Programming errors leave the process in a state nobody reasoned about; everything else that
 * escapes (a stream or socket failing after its request was answered, a promise nobody awaited)
 * belongs to one request and the others are better served by carrying on.
 */
const PROGRAMMING_ERRORS = [TypeError, ReferenceError, RangeError, SyntaxError, EvalError];

export function isSafeToContinue(err: unknown): boolean {
  if (!(err instanceof Error)) return true;
  return !PROGRAMMING_ERRORS.some((type) => err instanceof type);
}

/**
 * The last line of defence after every stream has its own error handler and every route its
 * exception filter: an error that still escapes is logged (without request data) and, when it is
 * request-scoped, the API keeps serving; otherwise it stops with code 1 for its supervisor to
 * restart it on a clean slate.
 */
export function installLastResort(
  log: Log,
  proc: Pick<NodeJS.Process, 'on' | 'exit'> = process,
): void {
  proc.on('unhandledRejection', (reason) => {
    log.error(
      { err: describeForLog(reason) },
      'unhandled promise rejection; still serving',
      CONTEXT,
    );
  });
  proc.on('uncaughtException', (err) => {
    if (isSafeToContinue(err)) {
      log.error({ err: describeForLog(err) }, 'uncaught exception; still serving', CONTEXT);
      return;
    }
    (log.fatal ?? log.error).call(
      log,
      { err: describeForLog(err) },
      'uncaught exception; exiting',
      CONTEXT,
    );
    proc.exit(1);
  });
}
