/** How to retry a Telegram call that failed for a passing reason. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** First backoff for 5xx and network errors; doubles each time. */
  baseMs: number;
  /** Longest single wait, also the cap on a 429's retry_after. */
  maxWaitMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseMs: 500, maxWaitMs: 30_000 };

/** The parts of a failed call that decide whether and when to retry. */
interface FailureShape {
  name?: string;
  code?: number | string;
  response?: { error_code?: number; parameters?: { retry_after?: number } };
}

/**
 * How long to wait before retrying a failed call, or null when retrying cannot
 * help (a 400 stays a 400). 429 says how long itself; 5xx and a network that
 * went away back off exponentially.
 */
export function retryDelay(err: unknown, attempt: number, policy: RetryPolicy = DEFAULT_RETRY): number | null {
  const failure = (typeof err === 'object' && err !== null ? err : {}) as FailureShape;
  const status = failure.response?.error_code ?? (typeof failure.code === 'number' ? failure.code : undefined);
  if (status === 429) return Math.min(policy.maxWaitMs, Math.max(1, failure.response?.parameters?.retry_after ?? 1) * 1000);
  const network = failure.name === 'FetchError' || (typeof failure.code === 'string' && /^E[A-Z]+/u.test(failure.code));
  if (network || (status !== undefined && status >= 500)) return Math.min(policy.maxWaitMs, policy.baseMs * 2 ** (attempt - 1));
  return null;
}

/**
 * Runs a call, retrying passing failures (429 after its retry_after, 5xx and
 * network errors with bounded exponential backoff); gives up after
 * `policy.attempts` and rethrows the last error.
 */
export async function withRetry<T>(
  call: () => Promise<T>,
  onRetry: (err: unknown, waitMs: number, attempt: number) => void = () => {},
  policy: RetryPolicy = DEFAULT_RETRY,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (err) {
      const wait = attempt < policy.attempts ? retryDelay(err, attempt, policy) : null;
      if (wait === null) throw err;
      onRetry(err, wait, attempt);
      await sleep(wait);
    }
  }
}
