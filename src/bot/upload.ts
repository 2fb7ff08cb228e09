import type { Telegram } from 'telegraf';
import { describeError } from '../errors.js';
import { redact } from '../log.js';

/** The largest file the Bot API lets a bot download (getFile's limit). */
export const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;

/** How long a download may take before it is given up. */
const DOWNLOAD_TIMEOUT_MS = 60_000;

/** Why a file could not be fetched from Telegram. */
export type DownloadProblem =
  /** Larger than the limit: said by Telegram's file_size (nothing downloaded) or found while streaming (cut off). */
  | { kind: 'too-large'; bytes: number | null; limit: number }
  /** Telegram or the network failed; `why` never holds the file link (it carries the token). */
  | { kind: 'download'; why: string };

/** A failed download, its reason as data. */
export class DownloadError extends Error {
  override readonly name = 'DownloadError';
  constructor(readonly problem: DownloadProblem) {
    super(problem.kind === 'too-large' ? `file over ${problem.limit} bytes` : `download failed: ${problem.why}`);
  }
}

/** Refuses a file Telegram says is over the limit, before anything is downloaded. */
export function checkDeclaredSize(fileSize: number | undefined, limit = MAX_DOWNLOAD_BYTES): void {
  if (fileSize !== undefined && fileSize > limit) throw new DownloadError({ kind: 'too-large', bytes: fileSize, limit });
}

/**
 * Downloads a file a user sent: asks the Bot API for its link (getFile), then
 * fetches it, stopping as soon as it grows past `limit` whatever the declared
 * size said. The link holds the bot token, so it is never logged or put in an
 * error; failures say only what went wrong.
 */
export async function downloadFile(
  telegram: Telegram,
  fileId: string,
  fileSize: number | undefined,
  token: string | undefined,
  limit = MAX_DOWNLOAD_BYTES,
): Promise<Buffer> {
  checkDeclaredSize(fileSize, limit);
  let link: URL;
  try {
    link = await telegram.getFileLink(fileId);
  } catch (err) {
    throw new DownloadError({ kind: 'download', why: redact(describeError(err), token) });
  }
  if (link.protocol === 'file:') throw new DownloadError({ kind: 'download', why: 'a local Bot API server gave a file path, not a link' });
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), DOWNLOAD_TIMEOUT_MS);
  try {
    const response = await fetch(link, { signal: abort.signal });
    if (!response.ok || !response.body) throw new DownloadError({ kind: 'download', why: `Telegram answered HTTP ${response.status}` });
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > limit) {
      abort.abort();
      throw new DownloadError({ kind: 'too-large', bytes: declared, limit });
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of response.body) {
      total += chunk.byteLength;
      if (total > limit) {
        abort.abort();
        throw new DownloadError({ kind: 'too-large', bytes: null, limit });
      }
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  } catch (err) {
    if (err instanceof DownloadError) throw err;
    // fetch's own errors name no URL, but a cause might: keep only the first line, redacted.
    const why = abort.signal.aborted ? `no complete answer within ${DOWNLOAD_TIMEOUT_MS / 1000} s` : redact(describeError(err), token);
    throw new DownloadError({ kind: 'download', why });
  } finally {
    clearTimeout(timer);
  }
}
