// Which versions of a board are kept as they age. Automatic versions come every minute
// while a board is written: all of the last hour are kept, then the newest of each ten
// minutes for a day, then the newest of each hour. A version kept before a large removal
// is kept whole for a day, then the newest of each hour. Versions someone or something
// asked for — named, phase, before a restore, before an import — are never thinned.
// Buckets are fixed slices of the clock, so thinning again removes nothing more.
import type { VersionInfo, VersionKind } from '../../shared/history.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** For each age (newest first), the bucket within which only the newest version is kept; 0 keeps all. */
type Tiers = ReadonlyArray<{ olderThan: number; bucket: number }>;

export const THINNING: Partial<Record<VersionKind, Tiers>> = {
  auto: [
    { olderThan: DAY, bucket: HOUR },
    { olderThan: HOUR, bucket: 10 * MINUTE },
  ],
  'before-removal': [{ olderThan: DAY, bucket: HOUR }],
};

/** Longest time after its newest version over which thinning may still remove one of a board's versions. */
export const THINNING_SETTLES_AFTER_MS = DAY + HOUR;

/** The ids of the versions to delete at `now`: all but the newest of each bucket of each thinned kind. */
export function versionsToThin(versions: readonly VersionInfo[], now: number): string[] {
  const doomed: string[] = [];
  const kept = new Set<string>();
  const newestFirst = [...versions].sort((a, b) => b.createdAt - a.createdAt);
  for (const v of newestFirst) {
    const tiers = THINNING[v.kind];
    const tier = tiers?.find((t) => now - v.createdAt >= t.olderThan);
    if (!tier) continue;
    const bucket = `${v.kind}:${tier.bucket}:${Math.floor(v.createdAt / tier.bucket)}`;
    if (kept.has(bucket)) doomed.push(v.id);
    else kept.add(bucket);
  }
  return doomed;
}
