// The words a Portuguese workshop's documents add, and our own Markdown export of one
// read back: its Portuguese date line is recognised as ours and not imported as text.
import { describe, expect, it } from 'vitest';
import { consolidate } from '../../server/export/consolidate.js';
import { DOCX_LANGUAGE, dateLine, labelsFor, longDate } from '../../server/export/labels.js';
import { renderMarkdown } from '../../server/export/markdown.js';
import { importMarkdown } from '../../server/import/markdown.js';
import { DEFAULT_SECTION_HEADING } from '../../shared/board.js';
import { LANGUAGES, asLanguage } from '../../shared/model.js';
import { BUILT_IN_TEMPLATES } from '../../shared/templates.js';
import { WORKSHOP, boardFromMarkdown } from '../support/export-fixtures.js';

describe('Portuguese documents', () => {
  it('has Portuguese words for every label, the long date and Word’s language', () => {
    const pt = labelsFor('pt');
    expect(pt).toMatchObject({ question: 'Pergunta norteadora', annex: 'Anexo: cartões priorizados', card: 'Cartão', author: 'Autoria', noCards: 'Sem cartões.', contents: 'Grupos' });
    expect(pt.page(2, 7)).toBe('Página 2 de 7');
    expect(pt.noContent).toBe('Sem conteúdo.');
    expect(longDate('2025-11-21', 'pt')).toBe('21 de novembro de 2025');
    expect(dateLine({ date: '2025-03-02', place: 'Recife', language: 'pt' })).toBe('2 de março de 2025 · Recife');
    expect(DOCX_LANGUAGE.pt).toBe('pt-BR');
    expect(DEFAULT_SECTION_HEADING.pt).toBe('Conclusões e Recomendações');
    expect(BUILT_IN_TEMPLATES.filter((t) => t.language === 'pt').map((t) => t.id)).toEqual(['em-branco']);
  });

  it('reads a stored or imported code as a language it speaks, else Spanish', () => {
    expect(LANGUAGES).toEqual(['es', 'en', 'pt']);
    expect(['es', 'en', 'pt', 'pt-BR', 'fr', '', null].map(asLanguage)).toEqual(['es', 'en', 'pt', 'es', 'es', 'es', 'es']);
  });

  it('reads its own Portuguese Markdown back without the title and date lines', () => {
    const name = 'Grupo A: Sustentabilidade';
    const board = boardFromMarkdown('### Conclusões e Recomendações\n\n- Fortalecer os espaços que já existem.\n', name);
    const md = renderMarkdown(consolidate({ ...WORKSHOP, language: 'pt', place: 'Recife' }, [{ group: { id: 'g', name, question: '', position: 0 }, board }]));
    expect(md).toMatch(/^language: pt$/m);
    expect(md).toContain('\n21 de novembro de 2025 · Recife\n');
    const back = importMarkdown(md, { names: [name] });
    expect(back.sections.map((s) => s.heading)).toEqual(['Conclusões e Recomendações']);
    expect(JSON.stringify(back.sections)).not.toContain('novembro');
  });
});
