import http from 'node:http';

/** Passes a request on to the upstream server unchanged and streams its answer back (the proxies' common case). */
export function forwardRequest(req: http.IncomingMessage, res: http.ServerResponse, upstream: string): void {
  const forward = http.request(new URL(req.url ?? '/', upstream), { method: req.method, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  forward.on('error', () => res.destroy());
  req.pipe(forward);
}

/** Starts a server on a free loopback port. */
export function listenOnLoopback(server: http.Server): Promise<void> {
  return new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
}

/** Stops a server, closing its open connections first. */
export function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
}
