// What the reference servers (bench/reference-server.ts, bench/hocuspocus-server.ts)
// share: a plain http server on PORT/HOST whose WebSocket upgrades under /yjs/ go to
// the reference, others refused, and a clean exit on SIGTERM/SIGINT.
import { createServer, type IncomingMessage } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

export const BOARD_PATH = '/yjs/';

/** Serves `connect` for every board socket; `connect` gets the path after /yjs/, decoded. */
export function serveReference(label: string, connect: (ws: WebSocket, req: IncomingMessage, docName: string) => void): void {
  const port = Number(process.env.PORT ?? 1234);
  const host = process.env.HOST ?? '127.0.0.1';
  const wss = new WebSocketServer({ noServer: true });
  const http = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('okay');
  });
  http.on('upgrade', (req, socket, head) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (!path.startsWith(BOARD_PATH)) return socket.destroy();
    const docName = decodeURIComponent(path.slice(BOARD_PATH.length));
    wss.handleUpgrade(req, socket, head, (ws) => connect(ws, req, docName));
  });
  http.listen(port, host, () => console.log(`reference ${label} server on ws://${host}:${port}${BOARD_PATH}`));
  process.on('SIGTERM', () => process.exit(0));
  process.on('SIGINT', () => process.exit(0));
}
