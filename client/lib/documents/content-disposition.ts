// The file name a download gets from the server's Content-Disposition header:
// `filename*=UTF-8''…` (RFC 5987, accents kept) before the ASCII `filename="…"`.

/** The name in the header, or null when it names none; never a path. */
export function fileNameOf(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*([^;]+)/i.exec(header)?.[1]?.trim();
  if (extended) {
    const m = /^([\w!#$%&+^`{}~-]+)'[\w-]*'(.*)$/.exec(extended.replace(/^"|"$/g, ''));
    if (m && m[1]?.toLowerCase() === 'utf-8') {
      try {
        return clean(decodeURIComponent(m[2] ?? ''));
      } catch {
        // a malformed escape: fall back to the plain name
      }
    }
  }
  const quoted = /filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header)?.[1];
  if (quoted !== undefined) return clean(quoted.replace(/\\(.)/g, '$1'));
  const bare = /filename\s*=\s*([^;\s]+)/i.exec(header)?.[1];
  return bare ? clean(bare) : null;
}

function clean(name: string): string | null {
  const base = name.split(/[\\/]/).pop()?.trim() ?? '';
  return base === '' || base === '.' || base === '..' ? null : base;
}
