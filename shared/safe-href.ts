// The one link policy, for every exporter and the client: a link written by one person
// reaches documents and pages others open, so only addresses that cannot run anything
// stay links — web, mail and phone addresses, and relative ones (a path, a query, a
// #fragment). javascript:, data:, vbscript:, file: and every other scheme are dropped,
// however they are cased, padded or split: control and format characters anywhere make
// a link no link (browsers ignore tabs and newlines inside a scheme), and so does a
// character reference before the path (Markdown readers decode `javascript&colon;`).
const SCHEMES = new Set(['http', 'https', 'mailto', 'tel']);

/** Longer than any address a person types; a link past it is dropped. */
export const MAX_HREF_LENGTH = 2048;

/** The address to link to, or null when it is no safe link. */
export function safeHref(href: unknown): string | null {
  if (typeof href !== 'string') return null;
  const value = href.trim();
  if (value === '' || value.length > MAX_HREF_LENGTH) return null;
  if (/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u.test(value)) return null;
  // A scheme, if any, ends at the first colon before the path, query or fragment.
  const head = value.split(/[/?#]/, 1)[0] ?? '';
  const colon = head.indexOf(':');
  if (colon === -1) return /[&\\]/.test(head) ? null : value;
  return SCHEMES.has(head.slice(0, colon).toLowerCase()) ? value : null;
}
