// The reference we hold ourselves to: the stock y-websocket server
// (@y/websocket-server's setupWSConnection on a plain `ws` server), in memory, with
// no authentication and no persistence. Boards are served at the same paths as
// Relatoría's (/yjs/<workshopId>/<groupId>; the token is ignored), so the same
// clients run against both. Run as its own process, like the real server:
//   PORT=1234 tsx bench/reference-server.ts
import { setupWSConnection } from '@y/websocket-server/utils';
import { serveReference } from './lib/reference-host.js';

serveReference('y-websocket', (ws, req, docName) => setupWSConnection(ws, req, { docName }));
