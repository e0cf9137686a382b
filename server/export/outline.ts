// Where things sit in the document's outline, the same in every format: the workshop
// title at depth 1, groups at 2, sections at 3, and a section's own headings below.
// The board editor offers heading levels 2 and 3 (shared/rich-text.ts EDITOR_SCHEMA):
// its level 2 is the first level under a section.
import { headingLevel, type HeadingLevel } from '../../shared/rich-text.js';

export const TITLE_DEPTH = 1;
export const GROUP_DEPTH = 2;
export const SECTION_DEPTH = 3;

/** Depth of a body heading: level 1 and 2 → 4, 3 → 5, 4 and more → 6. */
export const bodyHeadingDepth = (level: number): HeadingLevel => headingLevel(SECTION_DEPTH + Math.max(1, level - 1));

/** Level of a body heading read at `depth`, sections being at `sectionDepth`: the inverse of the above. */
export const bodyHeadingLevel = (depth: number, sectionDepth: number): HeadingLevel => headingLevel(Math.max(2, depth - sectionDepth + 1));
