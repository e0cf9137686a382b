// WebSocket close codes of the board endpoint (`/yjs`), shared by server and client.
// The stock y-websocket client stops reconnecting on 4400–4499, and keeps retrying
// on anything else: so "fix your request" codes sit in 44xx, "try later" ones do not.

export const CloseCode = {
  /** ws itself: a message over `maxPayload`. */
  MessageTooBig: 1009,
  /** The node is shutting down (drained): reconnect, through the balancer, to another node. */
  ServiceRestart: 1012,
  /** The server could not store an update: nothing was applied; reconnect and resend. */
  TryAgainLater: 1013,
  /** A malformed or truncated y-websocket message: it was rejected whole. */
  BadMessage: 4400,
  /** No token, a bad or expired token, or one for another workshop. */
  Unauthorized: 4401,
  /** The token is valid but may not open this board. */
  Forbidden: 4403,
  /** No such board. */
  NotFound: 4404,
  /** The workshop was deleted while the board was open: it is gone for good. */
  WorkshopDeleted: 4410,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/**
 * Reasons sent in a y-protocols auth "permission denied" message when the
 * server drops a write. Our client answers `read-only` by replacing its local
 * copy with the server's, so a refused edit never comes back.
 */
export const DENIED_READ_ONLY = 'read-only';
