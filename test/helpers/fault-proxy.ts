import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer, forwardRequest, listenOnLoopback } from './forward.js';

/** What the proxy does to one request. */
export type Fault = 'pass' | '429' | '500' | 'drop';

/**
 * A small HTTP proxy on loopback between the bot and the Bot API emulator that
 * injects faults on a schedule: Telegram's 429 with retry_after, 500s, and
 * dropped connections. Faults are injected before forwarding, so a failed call
 * never reached the emulator and a retry cannot duplicate a message.
 */
export class FaultProxy {
  private server!: http.Server;
  readonly seen: Array<{ method: string; fault: Fault }> = [];
  private outageUntil = 0;

  constructor(
    private readonly upstream: string,
    /** Decides the fault for the n-th call (1-based) of a Bot API method. */
    private readonly schedule: (method: string, n: number) => Fault,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Drops every connection for a while: the network going away and coming back. */
  outage(ms: number): void {
    this.outageUntil = Date.now() + ms;
  }

  async start(): Promise<void> {
    const counts = new Map<string, number>();
    this.server = http.createServer((req, res) => {
      const method = /\/bot[^/]+\/([A-Za-z]+)/u.exec(req.url ?? '')?.[1] ?? '';
      const n = (counts.get(method) ?? 0) + 1;
      counts.set(method, n);
      const fault: Fault = Date.now() < this.outageUntil ? 'drop' : this.schedule(method, n);
      this.seen.push({ method, fault });
      if (fault === 'drop') return void req.socket.destroy();
      if (fault === '429') {
        res.writeHead(429, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } }));
      }
      if (fault === '500') {
        res.writeHead(500, { 'content-type': 'text/plain' });
        return void res.end('Internal Server Error');
      }
      forwardRequest(req, res, this.upstream);
    });
    await listenOnLoopback(this.server);
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
  }
}
