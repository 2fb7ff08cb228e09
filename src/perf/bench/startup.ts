import type { ChildProcess } from 'node:child_process';
import { spawnCompiledBot } from '../bot-launcher.js';
import { PeakRss } from '../peak-rss.js';

/** How long the spawned `npm start` may take to answer before the bench gives up on it. */
export const STARTUP_TIMEOUT_MS = 180_000;
/** How long it may take to exit after /quit before it is terminated. */
const EXIT_GRACE_MS = 15_000;

/** What `npm start` in terminal mode costs before its first answer. */
export interface StartupBench {
  question: string;
  greetingMs: number | null;
  answerMs: number | null;
  exitMs: number | null;
  /** VmHWM of the bot process, in bytes; null where /proc is not available. */
  peakRssBytes: number | null;
  /** Why no answer was measured, if none was. */
  failure: string | null;
}

/**
 * Starts the product the way a user does (`npm start` runs the compiled `node dist/scripts/start.js`,
 * no BOT_TOKEN, so the terminal chat: the same process minus Telegram), types
 * one question at once and times the greeting and the first quoted source. The
 * question waits in the pipe while the index and model load, so the time to the
 * answer is the whole cold start a first user sees. VmHWM is polled while it
 * runs because /proc forgets a process the moment it exits.
 */
export function benchStartup(index: string, question: string): Promise<StartupBench> {
  const started = performance.now();
  const child = spawnCompiledBot({ BOT_TOKEN: '', INDEX_DIR: index }, ['pipe', 'pipe', 'pipe']);
  const result: StartupBench = { question, greetingMs: null, answerMs: null, exitMs: null, peakRssBytes: null, failure: null };
  const rss = new PeakRss(child.pid);
  return new Promise((resolve) => {
    const session = new TerminalSession(child, rss, result, () => performance.now() - started);
    child.on('exit', (code, signal) => {
      session.exited(code, signal);
      resolve(result);
    });
    child.stdin?.write(`${question}\n`);
  });
}

/** One run of the terminal chat: watches its output for the greeting and the first answer, then quits it. */
class TerminalSession {
  private stdout = '';
  private stderr = '';
  private quitting = false;
  private killer: NodeJS.Timeout | undefined;
  private readonly timeout: NodeJS.Timeout;

  constructor(
    private readonly child: ChildProcess,
    private readonly rss: PeakRss,
    private readonly result: StartupBench,
    private readonly since: () => number,
  ) {
    this.timeout = setTimeout(() => this.quit(`no answer within ${STARTUP_TIMEOUT_MS / 1000} s`), STARTUP_TIMEOUT_MS);
    child.stdin?.on('error', () => {}); // a child that died early closes the pipe; its exit reports why
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
    });
    child.stdout?.on('data', (chunk: string) => this.read(chunk));
    child.on('error', (err) => {
      result.failure = `could not start: ${err.message}`;
    });
  }

  /** Notes the greeting and the first quoted source as they appear. */
  private read(chunk: string): void {
    this.stdout += chunk;
    if (this.result.greetingMs === null && this.stdout.includes('终端模式')) this.result.greetingMs = this.since();
    if (this.result.answerMs === null && /(^|\n) {2}📄 /u.test(this.stdout)) {
      this.result.answerMs = this.since();
      clearTimeout(this.timeout);
      this.quit(null);
    }
  }

  /** Types /quit (once), and terminates the chat if it does not exit in time. */
  private quit(failure: string | null): void {
    if (this.quitting) return;
    this.quitting = true;
    this.rss.sample();
    if (failure) this.result.failure = failure;
    this.child.stdin?.end('/quit\n');
    this.killer = setTimeout(() => {
      this.result.failure ??= `did not exit within ${EXIT_GRACE_MS / 1000} s of /quit; terminated`;
      this.child.kill('SIGTERM');
    }, EXIT_GRACE_MS);
  }

  /** Records the exit, and why there was no answer if there was none. */
  exited(code: number | null, signal: NodeJS.Signals | null): void {
    const { result } = this;
    result.exitMs = this.since();
    this.rss.stop();
    result.peakRssBytes = this.rss.peakBytes;
    clearTimeout(this.timeout);
    if (this.killer) clearTimeout(this.killer);
    if (result.answerMs === null && !result.failure) {
      const last = this.stderr.trim().split('\n').at(-1) ?? '';
      result.failure = `exited (${signal ?? `code ${code}`}) before answering${last ? `: ${last}` : ''}`;
    }
  }
}
