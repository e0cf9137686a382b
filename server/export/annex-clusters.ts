// A group's clusters in the annex, as plain blocks every format already renders: a lead-in,
// then each cluster's title with the dots it got as one, and a list of its cards.
import type { AnnexCluster } from '../../shared/consolidated.js';
import type { Block } from '../../shared/rich-text.js';
import type { Labels } from './labels.js';

export function clusterBlocks(clusters: readonly AnnexCluster[], labels: Labels): Block[] {
  const out: Block[] = [{ type: 'paragraph', content: [{ type: 'text', text: labels.clusters, marks: { bold: true } }] }];
  for (const c of clusters) {
    out.push({
      type: 'paragraph',
      content: [
        { type: 'text', text: c.title.trim() !== '' ? c.title : labels.untitledCluster, marks: { bold: true } },
        { type: 'text', text: ` — ${labels.dots}: ${c.dots} · ${labels.voters}: ${c.voters}` },
      ],
    });
    out.push({
      type: 'list',
      ordered: false,
      start: 1,
      items: c.cards.map((card) => [{ type: 'paragraph', content: [{ type: 'text', text: card.author !== '' ? `${card.text} (${card.author})` : card.text }] }]),
    });
  }
  return out;
}
