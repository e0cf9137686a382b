// The facilitator's per-group figures made readable: "2 min ago", a sparkline of
// contributions per minute, and whether a group looks stalled.
import type { GroupActivity } from '../../../shared/protocol.js';

/** No board change for this long while people are online: the group stands out. */
export const STALLED_AFTER_MS = 5 * 60_000;

export type RelativeUnit = 'second' | 'minute' | 'hour' | 'day';

/** The value and unit Intl.RelativeTimeFormat should say for `then`, seen at `now`. */
export function relativeParts(then: number, now: number): { value: number; unit: RelativeUnit } {
  const seconds = Math.round((then - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return { value: 0, unit: 'second' };
  if (abs < 3600) return { value: Math.round(seconds / 60), unit: 'minute' };
  if (abs < 86_400) return { value: Math.round(seconds / 3600), unit: 'hour' };
  return { value: Math.round(seconds / 86_400), unit: 'day' };
}

export function formatRelative(then: number, now: number, lang: string): string {
  const { value, unit } = relativeParts(then, now);
  return new Intl.RelativeTimeFormat(lang, { numeric: 'auto', style: 'short' }).format(value, unit);
}

/** An SVG path (in a width × height box) through the values, oldest at the left; flat at the bottom when all are 0. */
export function sparklinePath(values: readonly number[], width: number, height: number, pad = 1.5): string {
  if (values.length === 0) return '';
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0;
  const y = (v: number) => height - pad - (v / max) * (height - 2 * pad);
  return values.map((v, i) => `${i === 0 ? 'M' : 'L'}${(pad + i * step).toFixed(1)} ${y(v).toFixed(1)}`).join(' ');
}

/** People are on the board but nothing has changed for a while: since the last change, or since the phase began. */
export function isStalled(a: Pick<GroupActivity, 'online' | 'lastActivityAt'>, now: number, phaseStartedAt = -Infinity): boolean {
  if (a.online === 0) return false;
  const since = Math.max(a.lastActivityAt ?? -Infinity, phaseStartedAt);
  return now - since >= STALLED_AFTER_MS;
}
