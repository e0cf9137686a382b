// The one link policy (shared/safe-href.ts), and every exporter applying it: a link
// that could run something keeps its words and loses its address.
import { describe, expect, it } from 'vitest';
import { safeHref } from '../../shared/safe-href.js';
import type { Consolidated } from '../../shared/consolidated.js';
import { renderMarkdown } from '../../server/export/markdown.js';
import { renderHtml } from '../../server/export/html.js';
import { fixtureModel } from '../support/export-fixtures.js';

describe('safeHref', () => {
  it.each([
    'https://ejemplo.org/a?b=1#c',
    'http://192.168.1.20:3000/w/x',
    'HTTPS://EJEMPLO.ORG',
    'mailto:ana@ejemplo.org',
    'tel:+56912345678',
    '#fn-1',
    '/w/abc/export',
    './anexo.pdf',
    '../otro',
    '?q=1',
    'anexo/acta.md',
    'x/y:z',
    '//ejemplo.org/ruta',
  ])('keeps %j', (href) => {
    expect(safeHref(href)).toBe(href);
  });

  it('trims the spaces around an address', () => {
    expect(safeHref('  https://ejemplo.org  ')).toBe('https://ejemplo.org');
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    '\u0000javascript:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    'java\rscript:alert(1)',
    'javascript\u200B:alert(1)',
    '\u202Ejavascript:alert(1)',
    'javascript&colon;alert(1)',
    'javascript&#58;alert(1)',
    'jav&#x09;ascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'DATA:image/svg+xml;base64,PHN2Zz4=',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'ftp://ejemplo.org',
    'blob:https://ejemplo.org/x',
    'intent://x#Intent;end',
    'c:\\windows',
    '\\\\servidor\\recurso',
    'https://ejemplo.org/\u0007',
    '',
    '   ',
    `https://ejemplo.org/${'a'.repeat(3000)}`,
  ])('drops %j', (href) => {
    expect(safeHref(href)).toBeNull();
  });

  it('drops what is not a string', () => {
    for (const value of [undefined, null, 42, { href: 'https://x' }]) expect(safeHref(value)).toBeNull();
  });
});

describe('exporters apply it', () => {
  const model = (): Consolidated => ({
    ...fixtureModel(),
    groups: [{
      id: 'x', name: 'Grupo A', title: '', question: '', cards: [],
      sections: [{ heading: 'Enlaces', body: [{ type: 'paragraph', content: [
        { type: 'text', text: 'uno', marks: { link: 'javascript:alert(1)' } },
        { type: 'text', text: ' dos', marks: { link: 'data:text/html,<script>alert(2)</script>' } },
        { type: 'text', text: ' tres', marks: { link: ' JAVA\tSCRIPT:alert(3)', bold: true } },
        { type: 'text', text: ' cuatro', marks: { link: 'https://ejemplo.org/acta' } },
        { type: 'text', text: ' cinco', marks: { link: '#notas' } },
      ] }] }],
    }],
  });

  it('Markdown keeps the words of a disallowed link and drops its address', () => {
    const md = renderMarkdown(model());
    expect(md).not.toMatch(/javascript|data:|alert/i);
    expect(md).toContain('uno dos **tres** [cuatro](https://ejemplo.org/acta) [cinco](#notas)');
  });

  it('HTML does the same', () => {
    const html = renderHtml(model());
    expect(html).not.toMatch(/javascript|data:text|alert/i);
    expect(html).toContain('uno dos <strong>tres</strong> <a href="https://ejemplo.org/acta">cuatro</a> <a href="#notas">cinco</a>');
  });
});
