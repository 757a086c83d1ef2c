/** What a "failed" listener is told: the job's arguments and how often it has been retried. */
export interface FailedInfo {
  readonly args: readonly unknown[];
  readonly retryCount: number;
}
type FailedListener = (error: unknown, info: FailedInfo) => unknown;

/**
 * A stand-in for the Bottleneck instance the throttling plugin retries through (its `retryLimiter`):
 * `schedule(fn, ...args)` runs `fn` at once, and when it fails asks the "failed" listeners; the first one to
 * answer a number of milliseconds has it run again after that long, as Bottleneck does. Bottleneck itself
 * passes every request through several `setTimeout` hops (each at least a millisecond, and a whole event-loop
 * turn under load): about 8 ms of idle time per GitHub call here, more than the call itself
 * (docs/benchmarks.md).
 */
export function retryLimiter() {
  const listeners: FailedListener[] = [];
  const errorListeners: ((error: unknown) => void)[] = [];
  const answer = async (error: unknown, info: FailedInfo): Promise<number | undefined> => {
    const answers = await Promise.all(
      listeners.map(async (listener) => {
        try {
          return await listener(error, info);
        } catch (listenerError) {
          for (const onError of errorListeners) onError(listenerError);
          return undefined;
        }
      }),
    );
    const delay = answers.find((a) => a !== undefined && a !== null);
    return delay === undefined ? undefined : Math.max(0, Math.trunc(Number(delay)) || 0);
  };
  return {
    on(event: string, listener: FailedListener): void {
      if (event === "failed") listeners.push(listener);
      else if (event === "error") errorListeners.push(listener as (error: unknown) => void);
    },
    async schedule<T>(fn: (...args: unknown[]) => Promise<T>, ...args: unknown[]): Promise<T> {
      for (let retryCount = 0; ; retryCount++) {
        try {
          return await fn(...args);
        } catch (error) {
          const delay = await answer(error, { args, retryCount });
          if (delay === undefined) throw error;
          await new Promise((resolve) => setTimeout(resolve, delay));
        }
      }
    },
  };
}
