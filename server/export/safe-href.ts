// Link addresses written by users reach documents others open: only web, mail and
// phone links, and in-document anchors, are kept as links.
const ALLOWED = /^(https?:|mailto:|tel:)/i;

/** The address to link to, or null when it is no safe link (javascript:, data:, …). */
export function safeHref(href: string): string | null {
  const trimmed = href.trim();
  if (trimmed === '' || /[\u0000-\u001f]/.test(trimmed)) return null;
  if (trimmed.startsWith('#')) return trimmed;
  return ALLOWED.test(trimmed) ? trimmed : null;
}
