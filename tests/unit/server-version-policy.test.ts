// Thinning versions by age: every automatic version of the last hour, the newest of each
// ten minutes for a day, the newest of each hour after; versions before a removal whole
// for a day; named, phase, before-restore and before-import versions never.
import { describe, expect, it } from 'vitest';
import type { VersionInfo, VersionKind } from '../../shared/history.js';
import { versionsToThin } from '../../server/history/version-policy.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** A round clock time, so buckets are easy to reason about. */
const NOW = Date.UTC(2025, 5, 12, 12, 0, 0);

const version = (kind: VersionKind, ageMs: number, id = `${kind}@${ageMs / MIN}m`): VersionInfo => ({ id, kind, label: '', createdAt: NOW - ageMs, createdBy: '' });
/** One version a minute, aged from just over `fromAge` to `toAge` (ages fromAge+1 min … toAge). */
const everyMinute = (kind: VersionKind, fromAge: number, toAge: number) =>
  Array.from({ length: (toAge - fromAge) / MIN }, (_, i) => version(kind, fromAge + (i + 1) * MIN));

const kept = (versions: VersionInfo[], now = NOW) => {
  const doomed = new Set(versionsToThin(versions, now));
  return versions.filter((v) => !doomed.has(v.id));
};

describe('versionsToThin', () => {
  it('keeps every automatic version of the last hour', () => {
    const lastHour = everyMinute('auto', 0, HOUR);
    expect(versionsToThin(lastHour, NOW)).toEqual([]);
  });

  it('keeps the newest automatic version of each ten minutes between an hour and a day old', () => {
    const day = everyMinute('auto', HOUR, 3 * HOUR); // two hours of a version a minute
    const left = kept(day);
    expect(left).toHaveLength(12);
    // The newest of each ten-minute slice of the clock (NOW is on the hour: ages 61–70 share a slice, and so on).
    expect(left.map((v) => (NOW - v.createdAt) / MIN)).toEqual([61, 71, 81, 91, 101, 111, 121, 131, 141, 151, 161, 171]);
  });

  it('keeps the newest automatic version of each hour after a day', () => {
    const old = everyMinute('auto', DAY, DAY + 3 * HOUR);
    expect(kept(old).map((v) => (NOW - v.createdAt) / MIN)).toEqual([DAY / MIN + 1, DAY / MIN + 61, DAY / MIN + 121]);
  });

  it('keeps versions kept before a removal whole for a day, then the newest of each hour', () => {
    const recent = everyMinute('before-removal', 0, DAY).filter((_, i) => i % 7 === 0);
    expect(versionsToThin(recent, NOW)).toEqual([]);
    const old = everyMinute('before-removal', DAY, DAY + 2 * HOUR);
    expect(kept(old)).toHaveLength(2);
  });

  it.each(['named', 'phase', 'before-restore', 'before-import'] as const)('never thins %s versions', (kind) => {
    const many = everyMinute(kind, 0, 3 * DAY).filter((_, i) => i % 13 === 0);
    expect(versionsToThin(many, NOW)).toEqual([]);
  });

  it('thinning again removes nothing more, and an hour later only what aged into a coarser slice', () => {
    const all = [...everyMinute('auto', 0, 3 * HOUR), version('named', 2 * HOUR, 'kept-by-name')];
    const once = kept(all);
    expect(versionsToThin(once, NOW)).toEqual([]);
    expect(once.map((v) => v.id)).toContain('kept-by-name');
    const later = kept(once, NOW + HOUR);
    // The hour that was "the last hour" is now thinned to one a ten minutes; the rest stays.
    expect(later.filter((v) => v.kind === 'auto')).toHaveLength(6 + 12);
  });
});
