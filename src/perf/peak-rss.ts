import fs from 'node:fs';

/** How often a process's VmHWM is read: often enough to be near its exit, rare enough not to compete for the 2 cores. */
const POLL_MS = 50;

/** The peak resident set (VmHWM) of a live process, in bytes, from /proc; null where that cannot be read. */
export function readVmHwm(pid: number): number | null {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/mu.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Follows another process's peak resident set while it runs. /proc forgets a
 * process the moment it exits, so the peak is polled, and `sample` reads it
 * once more just before an expected exit.
 */
export class PeakRss {
  /** The highest VmHWM read, in bytes; null until one could be read. */
  peakBytes: number | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number | undefined) {
    this.timer = setInterval(() => this.sample(), POLL_MS);
  }

  /** Reads the process's VmHWM now. */
  sample(): void {
    const hwm = this.pid === undefined ? null : readVmHwm(this.pid);
    if (hwm !== null) this.peakBytes = Math.max(this.peakBytes ?? 0, hwm);
  }

  /** Stops polling; the peak read so far stays. */
  stop(): void {
    clearInterval(this.timer);
  }
}
