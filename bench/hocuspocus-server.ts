// The second reference: Hocuspocus 3.4 (@hocuspocus/server), in memory, with no
// extensions and no authentication (its default onAuthenticate lets every token in).
// Served like bench/reference-server.ts, on a plain http server whose upgrades under
// /yjs/ go to Hocuspocus; the board is named inside every Hocuspocus message (not by
// the path), so the bench clients speak its framing (see bench/load/light-client.ts).
// Run as its own process, like the real server:
//   PORT=1234 tsx bench/hocuspocus-server.ts
import { Hocuspocus } from '@hocuspocus/server';
import { serveReference } from './lib/reference-host.js';

const hocuspocus = new Hocuspocus({ quiet: true });
serveReference('Hocuspocus', (ws, req) => {
  // As @hocuspocus/server's own Server does: an errored socket must not crash the process.
  ws.on('error', () => ws.terminate());
  hocuspocus.handleConnection(ws, req);
});
