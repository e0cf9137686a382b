import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import { readBoardContent, writeBoardContent, type BoardContent } from '../../shared/board.js';
import { fitToEditor } from '../../shared/rich-text.js';
import { consolidate } from '../../server/export/consolidate.js';
import { boardArbitrary } from '../support/rich-text-arbitraries.js';
import { renderArchive, toArchive } from '../../server/export/json-archive.js';
import { contentDisposition, exportFileName } from '../../server/export/formats.js';
import { parseArchive } from '../../server/import/archive.js';
import { HttpError } from '../../server/http/http-error.js';
import { WORKSHOP, expectGolden, fixtureModel } from '../support/export-fixtures.js';

describe('JSON archive', () => {
  it('renders the fixtures, the feature board, its cards and the annex as the golden file', () => {
    expectGolden('features.json', renderArchive(fixtureModel({ features: true, annex: true })));
  });

  it('reads back exactly what it wrote', () => {
    const model = fixtureModel({ features: true, annex: true });
    expect(parseArchive(renderArchive(model))).toEqual(toArchive(model));
  });

  it('says what is wrong, with a 400', () => {
    const good = JSON.parse(renderArchive(fixtureModel())) as Record<string, unknown>;
    const attempt = (value: unknown) => {
      try {
        parseArchive(typeof value === 'string' ? value : JSON.stringify(value));
      } catch (err) {
        expect(err).toBeInstanceOf(HttpError);
        expect((err as HttpError).status).toBe(400);
        return (err as HttpError).message;
      }
      throw new Error('accepted');
    };
    expect(attempt('{"format": "relatoria-archive", "vers')).toMatch(/truncated/);
    expect(attempt({ ...good, version: 0 })).toMatch(/version 0 is not supported/);
    expect(attempt({ ...good, format: undefined })).toMatch(/Not a Relatoría archive/);
    expect(attempt({ ...good, extra: 1 })).toMatch(/extra|Unrecognized/i);
  });
});

describe('download names', () => {
  it('keeps accents in the UTF-8 name and gives an ASCII fallback', () => {
    const model = { ...fixtureModel(), workshop: { ...fixtureModel().workshop, title: 'Taller: «Ñandú» / café? 100%' } };
    const name = exportFileName(model, 'pdf');
    expect(name).toBe('Taller «Ñandú» café 100% 2025-11-21.pdf');
    expect(contentDisposition(name)).toBe(
      `attachment; filename="Taller _Nandu_ cafe 100% 2025-11-21.pdf"; filename*=UTF-8''Taller%20%C2%AB%C3%91and%C3%BA%C2%BB%20caf%C3%A9%20100%25%202025-11-21.pdf`,
    );
  });
});

describe('JSON archive round trip (property)', () => {
  it('restores any board through Yjs: archive → parse → board → the same content, fitted to the editor', () => {
    fc.assert(
      fc.property(boardArbitrary, (b) => {
        const source = new Y.Doc();
        writeBoardContent(source, { meta: b.meta, sections: b.sections, cards: [{ text: 'tarjeta ñ', author: 'Ana', color: 'blue', createdAt: 3 }] });
        const model = consolidate(WORKSHOP, [{ group: { id: 'g', name: 'Grupo A', question: '', position: 0 }, board: readBoardContent(source) }]);
        const archive = parseArchive(renderArchive(model));
        const copy = new Y.Doc();
        const g = archive.groups[0];
        if (!g) throw new Error('no group');
        writeBoardContent(copy, { meta: { title: g.board.title, question: g.question }, sections: g.board.sections, cards: g.board.cards });
        const strip = (c: BoardContent) => ({ meta: c.meta, sections: c.sections.map(({ heading, body }) => ({ heading, body })), cards: c.cards.map(({ text, author, color, createdAt }) => ({ text, author, color, createdAt })) });
        expect(strip(readBoardContent(copy))).toEqual(strip(readBoardContent(source)));
        expect(readBoardContent(copy).sections.map((s) => s.body)).toEqual(b.sections.map((s) => fitToEditor(s.body)));
      }),
      { numRuns: 150 },
    );
  });
});
