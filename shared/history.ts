// Board versions: what the history API returns.

export const VERSION_KINDS = ['auto', 'phase', 'named', 'before-restore', 'before-import', 'before-removal'] as const;
export type VersionKind = (typeof VERSION_KINDS)[number];

export interface VersionInfo {
  id: string;
  kind: VersionKind;
  /** A name for named versions, the phase's name for phase versions. */
  label: string;
  createdAt: number;
  /** Display name of who asked for it; empty for automatic ones. */
  createdBy: string;
}

export type LineOp = 'same' | 'add' | 'del';

/** What changed from a version to the board as it is now. */
export interface VersionDiff {
  sections: Array<{
    heading: string;
    /** The heading in the version, when it was renamed since. */
    previousHeading?: string;
    status: 'same' | 'changed' | 'added' | 'removed';
    lines: Array<{ op: LineOp; text: string }>;
  }>;
  cards: { added: string[]; removed: string[] };
}
