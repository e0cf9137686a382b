// 5. Export: a 50-group workshop to Markdown, HTML, DOCX and PDF, with the
// renderers of server/export as they are now (a missing one is reported as not
// available yet). Timed from the boards: reading the 50 Y.Docs and consolidating,
// then rendering; the first run (cold) and the median of the next ones.
import { readBoardContent } from '../../shared/board.js';
import type { Consolidated } from '../../shared/consolidated.js';
import { buildExportWorkshop } from '../lib/export-workshop.js';
import { check, type Check, type Scenario } from '../lib/scenario.js';
import { kb, ms, summarize, table } from '../lib/stats.js';

const GROUPS = 50;

type Render = (model: Consolidated) => string | Buffer | Promise<string | Buffer>;

const RENDERERS: Array<{ format: string; module: string; fn: string; targetMs: number | null }> = [
  { format: 'Markdown', module: '../../server/export/markdown.js', fn: 'renderMarkdown', targetMs: 100 },
  { format: 'HTML', module: '../../server/export/html.js', fn: 'renderHtml', targetMs: null },
  { format: 'DOCX', module: '../../server/export/docx.js', fn: 'renderDocx', targetMs: 1_000 },
  { format: 'PDF', module: '../../server/export/pdf.js', fn: 'renderPdf', targetMs: 2_000 },
];

async function loadRenderer(module: string, fn: string): Promise<Render | string> {
  try {
    const mod = (await import(module)) as Record<string, unknown>;
    return typeof mod[fn] === 'function' ? (mod[fn] as Render) : `${module} has no ${fn}`;
  } catch (err) {
    return `${module} does not load (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`;
  }
}

const size = (out: string | Buffer) => (typeof out === 'string' ? Buffer.byteLength(out) : out.length);

export const exportScenario: Scenario = {
  name: 'export',
  title: `5. Export: a ${GROUPS}-group workshop to Markdown, HTML, DOCX and PDF`,
  async run({ quick }) {
    const runs = quick ? 2 : 5;
    const { consolidate } = await import('../../server/export/consolidate.js');
    const built = buildExportWorkshop(GROUPS, 20);
    const toModel = () =>
      consolidate(
        built.workshop,
        built.boards.map(({ group, doc }) => ({ group, board: readBoardContent(doc) })),
        { annex: true, votes: built.boards.map(({ group }, i) => ({ groupId: group.id, cardId: 'none', dots: i, voters: i })) },
      );
    /** Wall time (what a user waits) and CPU time (what the process spent, GC threads included) of one run. */
    const timed = async <T>(work: () => T | Promise<T>): Promise<[T, number, number]> => {
      const cpu = process.cpuUsage();
      const began = performance.now();
      const out = await work();
      const used = process.cpuUsage(cpu);
      return [out, performance.now() - began, (used.user + used.system) / 1000];
    };
    const repeat = async <T>(work: () => T | Promise<T>) => {
      const wall: number[] = [];
      const cpu: number[] = [];
      for (let i = 0; i < runs; i++) {
        const [, w, c] = await timed(work);
        wall.push(w);
        cpu.push(c);
      }
      return { wall: summarize(wall).p50, cpu: summarize(cpu).p50 };
    };

    const [model, consolidateCold] = await timed(toModel);
    const consolidated = await repeat(toModel);

    const rows: string[][] = [['', 'first run', `median of ${runs}: wall / CPU`, 'boards → file: wall / CPU', 'output']];
    rows.push(['read 50 boards + consolidate', ms(consolidateCold), `${ms(consolidated.wall)} / ${ms(consolidated.cpu)}`, '', '']);
    const checks: Check[] = [];
    for (const r of RENDERERS) {
      const render = await loadRenderer(r.module, r.fn);
      if (typeof render === 'string') {
        rows.push([r.format, 'not available yet', '', '', render]);
        if (r.targetMs !== null) checks.push(check(`export ${r.format} ≤ ${r.targetMs} ms`, 'not available yet', null));
        continue;
      }
      const [out, cold] = await timed(() => render(model));
      const warm = await repeat(() => render(model));
      const total = { wall: warm.wall + consolidated.wall, cpu: warm.cpu + consolidated.cpu };
      rows.push([r.format, ms(cold), `${ms(warm.wall)} / ${ms(warm.cpu)}`, `${ms(total.wall)} / ${ms(total.cpu)}`, kb(size(out))]);
      if (r.targetMs !== null) checks.push(check(`export ${r.format} ≤ ${r.targetMs} ms (boards → file)`, ms(total.wall), total.wall <= r.targetMs));
    }
    rows.push(await markdownAgainstStock(model, runs, timed));
    for (const { doc } of built.boards) doc.destroy();
    return {
      figures: [
        `${GROUPS} boards (sections from ${built.source}; 20 cards each, so the annex lists 1,000 cards with their votes), rendered in the bench process.`,
        table(rows),
        'Targets are checked on the median wall time (run it on a quiet machine). CPU time includes V8\'s parallel GC threads, so it can exceed the wall time. The first run includes loading the renderer and warming it up.',
      ].join('\n'),
      checks,
      failures: [],
    };
  },
};

/**
 * The Markdown renderer against itself with mdast-util-to-markdown's stock text handler
 * (ours skips the escape patterns that cannot apply): runs interleaved, medians compared.
 */
async function markdownAgainstStock(
  model: Consolidated,
  runs: number,
  timed: (work: () => unknown) => Promise<[unknown, number, number]>,
): Promise<string[]> {
  const { toMarkdown } = await import('mdast-util-to-markdown');
  const { MARKDOWN_OPTIONS, markdownTree } = await import('../../server/export/markdown.js');
  const stock = { ...MARKDOWN_OPTIONS, handlers: {} };
  const wall = { ours: [] as number[], stock: [] as number[] };
  for (let i = 0; i < runs; i++) {
    wall.ours.push((await timed(() => toMarkdown(markdownTree(model), MARKDOWN_OPTIONS)))[1]);
    wall.stock.push((await timed(() => toMarkdown(markdownTree(model), stock)))[1]);
  }
  const [a, b] = [summarize(wall.ours).p50, summarize(wall.stock).p50];
  return ['Markdown: ours / stock text handler', '', `${ms(a)} / ${ms(b)} (wall)`, `ratio ×${(a / b).toFixed(2)}`, ''];
}
