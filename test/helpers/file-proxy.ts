import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer, forwardRequest, listenOnLoopback } from './forward.js';

/** A file a test "uploaded": what the bot will download, and what Telegram says about it. */
interface Served {
  data: Buffer;
  path: string;
  /** The size getFile reports (Telegram's file_size); null to report none. */
  declared: number | null;
  /** Send the body in chunks without a content-length, so only streaming can tell its size. */
  chunked: boolean;
}

/** A document as it appears in a user's message (the Bot API's Document object). */
export interface DocumentField {
  file_id: string;
  file_unique_id: string;
  file_name?: string;
  mime_type?: string;
  file_size?: number;
}

/**
 * The file side of the Bot API, which the emulator (telegram-test-api) lacks:
 * a loopback proxy in front of it that answers `getFile` for files a test
 * registered and serves them at `{root}/file/bot{token}/{file_path}`, the
 * shape of Telegram's file links; every other call goes on to the emulator.
 * It records getFile calls and downloads, so a test can tell that nothing
 * was fetched.
 */
export class FileProxy {
  private server!: http.Server;
  private readonly files = new Map<string, Served>();
  private next = 1;
  /** file_ids the bot asked getFile about. */
  readonly getFileCalls: string[] = [];
  /** file_ids whose content the bot started downloading. */
  readonly downloads: string[] = [];

  constructor(
    private readonly upstream: string,
    private readonly token: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /**
   * Registers a file to serve; returns the `document` field of a message
   * carrying it. `declared` overrides the size Telegram reports (null: none),
   * `chunked` hides the length from the HTTP headers too.
   */
  add(data: Buffer, fileName: string, options: { declared?: number | null; chunked?: boolean; mime?: string } = {}): DocumentField {
    const n = this.next++;
    const fileId = `BQACAgIAAxkBAAI${n}_${crypto.randomBytes(6).toString('hex')}`;
    const declared = options.declared === undefined ? data.length : options.declared;
    this.files.set(fileId, {
      data,
      path: `documents/file_${n}${fileName.includes('.') ? fileName.slice(fileName.lastIndexOf('.')) : ''}`,
      declared,
      chunked: options.chunked ?? false,
    });
    return {
      file_id: fileId,
      file_unique_id: `AgAD${n}`,
      file_name: fileName,
      mime_type: options.mime ?? 'text/plain',
      ...(declared === null ? {} : { file_size: declared }),
    };
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const json = (status: number, body: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === `/bot${this.token}/getFile`) {
        let raw = '';
        req.on('data', (d: Buffer) => (raw += d.toString()));
        req.on('end', () => {
          const sent = (JSON.parse(raw || '{}') as { file_id?: unknown }).file_id;
          const fileId = typeof sent === 'string' ? sent : (url.searchParams.get('file_id') ?? '');
          this.getFileCalls.push(fileId);
          const file = this.files.get(fileId);
          if (!file) return json(400, { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' });
          return json(200, {
            ok: true,
            result: { file_id: fileId, file_unique_id: 'u', ...(file.declared === null ? {} : { file_size: file.declared }), file_path: file.path },
          });
        });
        return;
      }
      const prefix = `/file/bot${this.token}/`;
      if (url.pathname.startsWith(prefix)) {
        const wanted = url.pathname.slice(prefix.length);
        const entry = [...this.files].find(([, f]) => f.path === wanted);
        if (!entry) return void res.writeHead(404).end('Not Found');
        const [fileId, file] = entry;
        this.downloads.push(fileId);
        if (!file.chunked) {
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.data.length });
          return void res.end(file.data);
        }
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        // Chunks of 64 KB, stopping quietly if the bot hangs up once it has seen enough.
        let at = 0;
        const pump = (): void => {
          while (at < file.data.length) {
            const more = res.write(file.data.subarray(at, at + 65536));
            at += 65536;
            if (!more) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('error', () => {});
        return pump();
      }
      if (url.pathname.startsWith('/file/')) return void res.writeHead(404).end('Not Found');
      forwardRequest(req, res, this.upstream);
    });
    await listenOnLoopback(this.server);
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
  }
}
