/** Poll until `check` returns a truthy value (never a fixed sleep before an assertion). */
export async function waitFor<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  opts: {
    timeoutMs?: number;
    intervalMs?: number;
    message?: string | (() => string | Promise<string>);
  } = {},
): Promise<T> {
  const timeout = opts.timeoutMs ?? 20_000;
  const interval = opts.intervalMs ?? 250;
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as T;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const msg = typeof opts.message === 'function' ? await opts.message() : opts.message;
      throw new Error(
        `timed out after ${timeout} ms: ${msg ?? 'condition not met'}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}
