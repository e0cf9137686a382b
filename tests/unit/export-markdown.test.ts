import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { boardArbitrary as board } from '../support/rich-text-arbitraries.js';
import type { BoardContent } from '../../shared/board.js';
import { consolidate } from '../../server/export/consolidate.js';
import { renderMarkdown } from '../../server/export/markdown.js';
import { importMarkdown } from '../../server/import/markdown.js';
import { FIXTURES, WORKSHOP, bigModel, expectGolden, fixture, fixtureModel, words } from '../support/export-fixtures.js';

const oneGroup = (board: BoardContent, name = 'Grupo A') =>
  consolidate(WORKSHOP, [{ group: { id: 'g', name, question: '', position: 0 }, board }]);

describe('Markdown export', () => {
  it('renders the fixtures as the golden file', () => {
    expectGolden('fixtures.md', renderMarkdown(fixtureModel()));
  });

  it('renders every block and mark, the guiding question and the annex as the golden file', () => {
    expectGolden('features.md', renderMarkdown(fixtureModel({ features: true, annex: true })));
  });

  it('writes each imported fixture back in its normalized form: ## title, - bullets nested by two spaces, **bold**, [^n] notes', () => {
    const md = renderMarkdown(fixtureModel());
    expect(md).toMatch(/^---\ntitle: "Taller de intercambio: sistemas de mercado y escalamiento"\ndate: 2025-11-21\n/);
    expect(md).toContain('\n## Grupo B: Cambio Sistémico\n\n### Conclusiones y Recomendaciones\n\n- Los objetivos');
    expect(md).toContain('\n## Grupo D: Escalamiento\n\nLos proyectos analizados');
    expect(md).toContain('\n  - adoptar una innovación, un modelo de negocio\n');
    expect(md).toContain('- **Marco regulatorio adecuado[^1] y contexto favorable** (presencia');
    expect(md).toContain('\n[^1]: Ciertas normas pueden impedir el escalamiento.\n');
    expect(md).toContain('\n[^2]: En determinados contextos,');
    expect(md).not.toMatch(/[¹²]/);
  });

  it.each(FIXTURES)('keeps every word of $file', ({ file, name }) => {
    const md = renderMarkdown(fixtureModel());
    const part = md.slice(md.indexOf(`## ${name}`)).split(/\n## /)[0] ?? '';
    expect(words(part.replace(/^## /, '')).sort()).toEqual(words(fixture(file)).sort());
  });

  it.each(FIXTURES)('reads back $file to the same board', ({ file, name }) => {
    const first = importMarkdown(fixture(file), { names: [name] });
    const md = renderMarkdown(oneGroup({ meta: { title: first.title ?? '', question: '' }, sections: first.sections.map((s, i) => ({ ...s, id: String(i) })), cards: [] }, name));
    const again = importMarkdown(md, { names: [name] });
    expect(again).toEqual(first);
  });

  it('numbers footnotes across groups so no label repeats', () => {
    const md = renderMarkdown(fixtureModel({ features: true }));
    const refs = [...md.matchAll(/\[\^(\d+)\](?!:)/g)].map((m) => m[1]);
    const defs = [...md.matchAll(/^\[\^(\d+)\]:/gm)].map((m) => m[1]);
    expect(refs).toEqual(['1', '2', '3', '4']);
    expect(defs).toEqual(['1', '2', '3', '4']);
  });

  // Its speed is measured by `npm run bench` (scenario 5), not here.
  it('exports a 50-group workshop whole: every group under its heading, every note defined once', () => {
    const md = renderMarkdown(bigModel(50));
    expect(md.match(/^## Grupo [BDF]: /gm)).toHaveLength(50);
    const refs = new Set([...md.matchAll(/\[\^(\d+)\](?!:)/g)].map((m) => m[1]));
    const defs = [...md.matchAll(/^\[\^(\d+)\]:/gm)].map((m) => m[1]);
    expect(refs.size).toBeGreaterThan(50);
    expect(defs).toEqual([...refs]);
  });
});

describe('Markdown round trip (property)', () => {
  it('imports the export of any board as the same board', () => {
    fc.assert(
      fc.property(board, (b) => {
        const md = renderMarkdown(oneGroup(b));
        const imported = importMarkdown(md, { names: ['Grupo A'] });
        expect(imported).toEqual({
          title: b.meta.title,
          question: b.meta.question === '' ? null : b.meta.question,
          sections: b.sections.map(({ heading, body }) => ({ heading, body })),
        });
      }),
      { numRuns: 300 },
    );
  }, 120_000); // 300 boards, CPU-bound: ~5 s alone, far more while the whole suite shares 2 cores
});
