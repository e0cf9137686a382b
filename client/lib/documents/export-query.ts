// What the export page asks for: a format, which groups, and whether the annex of
// voted cards comes along, as the export route's query string.
export const EXPORT_FORMATS = ['md', 'html', 'docx', 'pdf', 'pptx', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The plenary synthesis with the groups' chapters (the server's default), alone, or left out. */
export const SYNTHESIS_CHOICES = ['with', 'only', 'none'] as const;
export type SynthesisChoice = (typeof SYNTHESIS_CHOICES)[number];

export interface ExportQuery {
  /** The chosen groups' ids; null means every group. */
  groups: readonly string[] | null;
  annex: boolean;
  /** Absent: 'with'. */
  synthesis?: SynthesisChoice;
}

/**
 * The ids to send for a choice of groups, in workshop order; null when the choice is
 * every group (the server's default, which also follows groups added later).
 */
export function chosenGroups(all: readonly string[], chosen: ReadonlySet<string>): string[] | null {
  const ids = all.filter((id) => chosen.has(id));
  return ids.length === all.length ? null : ids;
}

export function exportSearch(format: ExportFormat, query: ExportQuery): string {
  const params = new URLSearchParams({ format });
  if (query.groups !== null) params.set('groups', query.groups.join(','));
  if (query.annex) params.set('annex', '1');
  if (query.synthesis && query.synthesis !== 'with') params.set('synthesis', query.synthesis);
  return params.toString();
}
