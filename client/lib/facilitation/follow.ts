// Where a participant's board page should be, given the session: on the spotlighted
// board while the facilitator has everyone follow it, back on its own once released.
import type { Announcement } from '../../../shared/protocol.js';
import type { Spotlight } from '../../../shared/session.js';

export interface FollowInput {
  spotlight: Spotlight;
  /** The board this page shows. */
  groupId: string;
  /** The participant's own group. */
  ownGroupId: string;
  /** This page was opened by following the spotlight. */
  following: boolean;
}

export type FollowTarget = { groupId: string; following: boolean } | null;

export function followTarget({ spotlight, groupId, ownGroupId, following }: FollowInput): FollowTarget {
  if (spotlight.follow && spotlight.groupId !== null) {
    return spotlight.groupId === groupId ? null : { groupId: spotlight.groupId, following: true };
  }
  return following && groupId !== ownGroupId ? { groupId: ownGroupId, following: false } : null;
}

/** The newest announcement not yet dismissed (dismissing one dismisses the older ones too). */
export function latestUnseen(announcements: readonly Announcement[], seenAt: number): Announcement | null {
  const latest = announcements.at(-1);
  return latest && latest.at > seenAt ? latest : null;
}
