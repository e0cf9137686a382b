// Security headers on every response, pages and API alike (helmet). The client is a
// built Vite bundle with no inline script, so scripts come from this origin only.
// Styles may be inline: Svelte writes `style` attributes and transition keyframes,
// Tiptap injects its stylesheet, and the export preview's srcdoc frame (which inherits
// this policy) carries the export's own <style>.
import type { IncomingMessage } from 'node:http';
import helmet from 'helmet';
import type { RequestHandler } from 'express';

/** A Host header as browsers send it: a name or address, an optional port. Anything else is left out of the policy. */
const HOST = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * The board socket and Socket.IO on this very host. CSP3 lets 'self' match them, but
 * not every browser in a venue does yet, so they are named.
 */
function sameOriginSockets(req: IncomingMessage): string {
  const host = req.headers.host ?? '';
  return HOST.test(host) ? `ws://${host} wss://${host}` : '';
}

export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        // The favicon is a data: SVG; downloads are blob: URLs.
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", (req) => sameOriginSockets(req)],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // TLS is the reverse proxy's business (README, Operating it): HSTS belongs there.
    strictTransportSecurity: false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
}
