// "hace 5 minutos", "yesterday": how long ago a moment was, in the chosen language
// (Intl.RelativeTimeFormat); past a week, the date itself.
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function relativeTime(at: number, now: number, lang: string): string {
  const ago = now - at;
  const rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  if (Math.abs(ago) < MINUTE) return rtf.format(0, 'second');
  if (Math.abs(ago) < HOUR) return rtf.format(-Math.round(ago / MINUTE), 'minute');
  if (Math.abs(ago) < DAY) return rtf.format(-Math.round(ago / HOUR), 'hour');
  if (Math.abs(ago) < 7 * DAY) return rtf.format(-Math.round(ago / DAY), 'day');
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium' }).format(at);
}

/** The full moment, for a tooltip: "21 nov 2025, 10:42". */
export function exactTime(at: number, lang: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(at);
}
