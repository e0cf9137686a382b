// Which browser pages may open the server's sockets: the one policy of the board socket
// and of Socket.IO (a page elsewhere must not act with a token it got hold of).

export type OriginCheck = (origin: string | undefined, host: string | undefined) => boolean;

/** Same-origin browsers, non-browser clients (no Origin header), and configured extra origins (ALLOWED_ORIGINS). */
export function originPolicy(allowed: string[]): OriginCheck {
  return (origin, host) => {
    if (origin === undefined) return true;
    if (allowed.includes(origin)) return true;
    try {
      return new URL(origin).host === host;
    } catch {
      return false;
    }
  };
}
