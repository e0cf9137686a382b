// The reference we hold ourselves to: the stock y-websocket server
// (@y/websocket-server's setupWSConnection on a plain `ws` server), in memory, with
// no authentication and no persistence. Boards are served at the same paths as
// Relatoría's (/yjs/<workshopId>/<groupId>; the token is ignored), so the same
// clients run against both. Run as its own process, like the real server:
//   PORT=1234 tsx bench/reference-server.ts
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { setupWSConnection } from '@y/websocket-server/utils';

const BOARD_PATH = '/yjs/';
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
  wss.handleUpgrade(req, socket, head, (ws) => setupWSConnection(ws, req, { docName }));
});

http.listen(port, host, () => console.log(`reference y-websocket server on ws://${host}:${port}${BOARD_PATH}`));
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
