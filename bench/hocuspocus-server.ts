// The second reference: Hocuspocus 3.4 (@hocuspocus/server), in memory, with no
// extensions and no authentication (its default onAuthenticate lets every token in).
// Served like bench/reference-server.ts, on a plain http server whose upgrades under
// /yjs/ go to Hocuspocus; the board is named inside every Hocuspocus message (not by
// the path), so the bench clients speak its framing (see bench/load/light-client.ts).
// Run as its own process, like the real server:
//   PORT=1234 tsx bench/hocuspocus-server.ts
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { Hocuspocus } from '@hocuspocus/server';

const BOARD_PATH = '/yjs/';
const port = Number(process.env.PORT ?? 1234);
const host = process.env.HOST ?? '127.0.0.1';

const hocuspocus = new Hocuspocus({ quiet: true });
const wss = new WebSocketServer({ noServer: true });
const http = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('okay');
});

http.on('upgrade', (req, socket, head) => {
  const path = (req.url ?? '').split('?')[0] ?? '';
  if (!path.startsWith(BOARD_PATH)) return socket.destroy();
  wss.handleUpgrade(req, socket, head, (ws) => {
    // As @hocuspocus/server's own Server does: an errored socket must not crash the process.
    ws.on('error', () => ws.terminate());
    hocuspocus.handleConnection(ws, req);
  });
});

http.listen(port, host, () => console.log(`reference Hocuspocus server on ws://${host}:${port}${BOARD_PATH}`));
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
