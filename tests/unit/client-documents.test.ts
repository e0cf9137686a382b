// The document side's pure logic: download names, export queries, relative times,
// what a stored section renders, templates offered and filled in, Markdown checks.
import { describe, expect, it } from 'vitest';
import { fileNameOf } from '../../client/lib/documents/content-disposition.js';
import { chosenGroups, exportSearch } from '../../client/lib/documents/export-query.js';
import { checkMarkdown, MARKDOWN_LIMIT_BYTES, readMarkdownBytes } from '../../client/lib/documents/markdown-check.js';
import { exactTime, relativeTime } from '../../client/lib/documents/relative-time.js';
import { footnotesOf, wrappersOf } from '../../client/lib/documents/rich-view.js';
import { safeHref } from '../../shared/safe-href.js';
import { BLANK_ID, builtInNameKey, fillFrom, isBlankTemplate, SECTION_LIMITS, templateOptions } from '../../client/lib/documents/template-choice.js';
import { matchRoute, paths } from '../../client/lib/routes.js';
import { SessionStore } from '../../client/lib/session.js';
import { es } from '../../client/lib/i18n/es.js';
import { LIMITS } from '../../shared/model.js';
import { text, type Block } from '../../shared/rich-text.js';
import { BUILT_IN_TEMPLATES, type Template } from '../../shared/templates.js';
import { contentDisposition } from '../../server/export/formats.js';

describe('the file name of a download', () => {
  it.each([
    ['Encuentro de Innovación Social 2025-11-21.pdf'],
    ['Año «nuevo»: ¿qué? ¡sí! 2025-01-02.docx'],
    ['plain 2025-01-02.md'],
    ["l'été (100%) * 2025-01-02.html"],
  ])('reads back what the server writes: %s', (name) => {
    expect(fileNameOf(contentDisposition(name))).toBe(name);
  });

  it.each([
    ['attachment; filename="Taller 2025.md"', 'Taller 2025.md'],
    ['attachment; filename=taller.md', 'taller.md'],
    ['attachment; filename="a \\"b\\".md"', 'a "b".md'],
    ["attachment; filename=\"fallback.md\"; filename*=utf-8''Sesi%C3%B3n.md", 'Sesión.md'],
    ["attachment; filename=\"fallback.md\"; filename*=UTF-8''%E0%A4%A.md", 'fallback.md'],
    ["attachment; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd", 'passwd'],
    ['attachment; filename="C:\\\\Windows\\\\win.ini"', 'win.ini'],
  ])('%s → %s', (header, name) => {
    expect(fileNameOf(header)).toBe(name);
  });

  it.each([[null], [''], ['attachment'], ['attachment; filename=".."'], ['inline; filename=""']])('no name in %j', (header) => {
    expect(fileNameOf(header)).toBeNull();
  });
});

describe('what the export page asks for', () => {
  const all = ['a', 'b', 'c'];

  it('sends no group list when every group is chosen, else the chosen ones in workshop order', () => {
    expect(chosenGroups(all, new Set(['c', 'a', 'b']))).toBeNull();
    expect(chosenGroups(all, new Set(['c', 'a']))).toEqual(['a', 'c']);
    expect(chosenGroups(all, new Set(['zz']))).toEqual([]);
    expect(chosenGroups(all, new Set())).toEqual([]);
  });

  it('writes the format, the groups and the annex as the route reads them', () => {
    expect(exportSearch('md', { groups: null, annex: false })).toBe('format=md');
    expect(exportSearch('pdf', { groups: ['a', 'c'], annex: true })).toBe('format=pdf&groups=a%2Cc&annex=1');
    // The synthesis with the groups is the server's default: only the other choices are sent.
    expect(exportSearch('md', { groups: null, annex: false, synthesis: 'with' })).toBe('format=md');
    expect(exportSearch('docx', { groups: null, annex: false, synthesis: 'only' })).toBe('format=docx&synthesis=only');
    expect(exportSearch('html', { groups: ['a'], annex: false, synthesis: 'none' })).toBe('format=html&groups=a&synthesis=none');
  });
});

describe('relative times in the chosen language', () => {
  const now = Date.UTC(2025, 10, 21, 12, 0, 0);
  const min = 60_000;

  it.each([
    [now - 10_000, 'es', 'ahora'],
    [now - 5 * min, 'es', 'hace 5 minutos'],
    [now - 3 * 60 * min, 'es', 'hace 3 horas'],
    [now - 24 * 60 * min, 'es', 'ayer'],
    [now - 3 * 24 * 60 * min, 'es', 'hace 3 días'],
    [now - 10_000, 'en', 'now'],
    [now - 1 * min, 'en', '1 minute ago'],
    [now - 2 * 24 * 60 * min, 'en', '2 days ago'],
  ])('%i in %s → %s', (at, lang, expected) => {
    expect(relativeTime(at, now, lang)).toBe(expected);
  });

  it('past a week, the date itself', () => {
    const at = Date.UTC(2025, 9, 1, 12, 0, 0);
    expect(relativeTime(at, now, 'es')).toBe(new Intl.DateTimeFormat('es', { dateStyle: 'medium' }).format(at));
    expect(exactTime(at, 'en')).toContain('2025');
  });
});

describe('a stored section, read-only', () => {
  it('follows only harmless links', () => {
    expect(safeHref('https://example.org/a?b=1')).toBe('https://example.org/a?b=1');
    expect(safeHref('mailto:ana@example.org')).toBe('mailto:ana@example.org');
    expect(safeHref('#fn-1')).toBe('#fn-1');
    // The whole policy is tested in safe-href.test.ts; this is what the history view relies on.
    for (const bad of ['javascript:alert(1)', ' JAVASCRIPT:alert(1)', 'data:text/html,<b>x</b>', 'vbscript:x', '', undefined]) {
      expect([bad, safeHref(bad)]).toEqual([bad, null]);
    }
  });

  it('wraps a run link-outermost, and drops a link it would not follow', () => {
    expect(wrappersOf({ italic: true, bold: true, link: 'https://a.example' })).toEqual(['link', 'bold', 'italic']);
    expect(wrappersOf({ bold: true, link: 'javascript:x' })).toEqual(['bold']);
    expect(wrappersOf(undefined)).toEqual([]);
  });

  it('numbers footnotes in reading order: paragraphs, nested lists, tables, quotes', () => {
    const note = (content: string) => ({ type: 'footnote' as const, content });
    const blocks: Block[] = [
      { type: 'paragraph', content: [text('a'), note('uno')] },
      { type: 'list', ordered: false, start: 1, items: [[{ type: 'paragraph', content: [note('dos')] }, { type: 'list', ordered: true, start: 1, items: [[{ type: 'paragraph', content: [note('tres')] }]] }]] },
      { type: 'table', rows: [[{ header: true, colspan: 1, rowspan: 1, align: null, content: [{ type: 'paragraph', content: [note('cuatro')] }] }]] },
      { type: 'quote', content: [{ type: 'heading', level: 2, content: [note('cinco')] }] },
    ];
    expect(footnotesOf(blocks)).toEqual(['uno', 'dos', 'tres', 'cuatro', 'cinco']);
  });
});

describe('templates in the create form', () => {
  const saved: Template = {
    id: 'abc123', name: 'Mi taller', language: 'en', title: 'My workshop', builtIn: false,
    groups: [{ name: 'G', question: 'Q?', sections: ['Findings'] }], agenda: [],
  };

  it('offers a blank start, then the built-in templates with substance, then saved ones', () => {
    const options = templateOptions([saved, ...BUILT_IN_TEMPLATES]);
    expect(options.map((o) => o.id)).toEqual([BLANK_ID, 'red-de-proyectos', 'abc123']);
    expect(options[0]!.template).toBeNull();
    expect(BUILT_IN_TEMPLATES.filter(isBlankTemplate).map((t) => t.id)).toEqual(['en-blanco', 'blank', 'em-branco']);
  });

  it('names built-in templates in the UI’s language, saved ones by their name', () => {
    const network = BUILT_IN_TEMPLATES.find((t) => t.id === 'red-de-proyectos')!;
    const key = builtInNameKey(network);
    expect(key && es[key]).toBe('Taller de la red de proyectos');
    expect(builtInNameKey(saved)).toBeNull();
  });

  it('fills title, language, groups with their questions and section headings', () => {
    const network = BUILT_IN_TEMPLATES.find((t) => t.id === 'red-de-proyectos')!;
    const fill = fillFrom(network);
    expect(fill.title).toBe(network.title);
    expect(fill.language).toBe('es');
    expect(fill.groups.map((g) => g.name)).toEqual(['Grupo A: Sostenibilidad', 'Grupo B: Cambio Sistémico', 'Grupo C: Articulación de Actores', 'Grupo D: Escalamiento']);
    expect(fill.groups.every((g) => g.sections.join() === 'Conclusiones y Recomendaciones')).toBe(true);
    fill.groups[0]!.sections.push('changed');
    expect(network.groups[0]!.sections).toEqual(['Conclusiones y Recomendaciones']);
  });

  it('clips what creating a workshop would refuse', () => {
    const big: Template = {
      ...saved,
      title: 'T'.repeat(LIMITS.titleLength + 5),
      groups: [{ name: 'N'.repeat(300), question: 'Q', sections: Array.from({ length: 30 }, (_, i) => `${i} ${'h'.repeat(300)}`) }],
    };
    const fill = fillFrom(big);
    expect(fill.title.length).toBe(LIMITS.titleLength);
    expect(fill.groups[0]!.name.length).toBe(LIMITS.groupNameLength);
    expect(fill.groups[0]!.sections.length).toBe(SECTION_LIMITS.count);
    expect(Math.max(...fill.groups[0]!.sections.map((s) => s.length))).toBe(SECTION_LIMITS.headingLength);
  });
});

describe('Markdown before it is sent', () => {
  const utf8 = (s: string) => new TextEncoder().encode(s);

  it('reads UTF-8 text, without a byte-order mark or blank lines before the first line', () => {
    expect(readMarkdownBytes(utf8('\uFEFF\n \n\t\n# Título\n\n- ¿qué? ¡sí!\n'))).toEqual({ text: '# Título\n\n- ¿qué? ¡sí!\n' });
    expect(readMarkdownBytes(utf8('    code stays indented'))).toEqual({ text: '    code stays indented' });
  });

  it('says why it cannot: not UTF-8, a binary file, too large', () => {
    expect(readMarkdownBytes(new Uint8Array([0x63, 0x61, 0x66, 0xe9]))).toEqual({ problem: { key: 'import.notUtf8' } });
    expect(readMarkdownBytes(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00]))).toEqual({ problem: { key: 'import.notText' } });
    expect(readMarkdownBytes(new Uint8Array(MARKDOWN_LIMIT_BYTES + 1).fill(0x61))).toEqual({
      problem: { key: 'import.tooLarge', params: { size: 257, max: 256 } },
    });
  });

  it('refuses empty text and text over the limit, counting bytes', () => {
    expect(checkMarkdown(' \n\t ')).toEqual({ key: 'import.empty' });
    expect(checkMarkdown('# ok')).toBeNull();
    expect(checkMarkdown('ñ'.repeat(MARKDOWN_LIMIT_BYTES / 2))).toBeNull();
    expect(checkMarkdown('ñ'.repeat(MARKDOWN_LIMIT_BYTES / 2 + 1))?.key).toBe('import.tooLarge');
  });
});

describe('the export route and the organizer’s key', () => {
  it('matches /w/:id/export', () => {
    expect(matchRoute('/w/abc_1/export')).toEqual({ name: 'export', workshopId: 'abc_1' });
    expect(matchRoute('/w/abc_1/export/')).toEqual({ name: 'export', workshopId: 'abc_1' });
    expect(matchRoute(paths.export('xyz'))).toEqual({ name: 'export', workshopId: 'xyz' });
    expect(matchRoute('/w/abc/export/more')).toEqual({ name: 'notFound' });
  });

  it('keeps an organizer token per workshop, apart from the facilitator’s', () => {
    const items = new Map<string, string>();
    const storage = {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
      removeItem: (k: string) => void items.delete(k),
    } as unknown as Storage;
    const session = new SessionStore(storage);
    session.setOrganizerToken('w1', 'org');
    expect(session.organizerToken('w1')).toBe('org');
    expect(session.facilitatorToken('w1')).toBeNull();
    expect(session.organizerToken('w2')).toBeNull();
  });
});
