import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../server/export/html.js';
import type { Consolidated } from '../../shared/consolidated.js';
import { expectGolden, fixtureModel, words, fixture, FIXTURES } from '../support/export-fixtures.js';

const textOf = (html: string) =>
  html.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'");

describe('HTML export', () => {
  it('renders the fixtures as the golden file', () => {
    expectGolden('fixtures.html', renderHtml(fixtureModel()));
  });

  it('renders every block and mark and the annex as the golden file', () => {
    expectGolden('features.html', renderHtml(fixtureModel({ features: true, annex: true })));
  });

  it('is one self-contained file with print styles', () => {
    const html = renderHtml(fixtureModel({ features: true }));
    expect(html).toMatch(/^<!doctype html>\n<html lang="es">/);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('@media print');
    expect(html).toContain('@page');
    expect(html).not.toMatch(/<(script|link|img|iframe)\b|\bsrc=|@import|url\(/i);
  });

  it.each(FIXTURES.map((f, i) => ({ ...f, i })))('keeps every word of $file', ({ file, i }) => {
    const group = (renderHtml(fixtureModel()).split('<section class="group"')[i + 1] ?? '').replace(/^[^>]*>/, '');
    const strip = (ws: string[]) => ws.filter((w) => !/^\d+$/.test(w) && w !== 'Notas').sort();
    expect(strip(words(textOf(group)))).toEqual(strip(words(fixture(file))));
  });

  it('styles h4, h5 and h6 each its own way, smaller at each level', () => {
    const css = /<style>([\s\S]*?)<\/style>/.exec(renderHtml(fixtureModel()))?.[1] ?? '';
    const rule = (selector: string) => new RegExp(`^${selector} \\{([^}]*)\\}`, 'm').exec(css)?.[1] ?? '';
    const size = (selector: string) => Number(/font-size: (\d*\.?\d+)rem/.exec(rule(selector))?.[1]);
    const [h3, h4, h5, h6] = ['h3', 'h4', 'h5', 'h6'].map(size);
    expect(h4).toBeLessThan(h3 ?? 0);
    expect(h5).toBeLessThan(h4 ?? 0);
    expect(h6).toBeLessThan(h5 ?? 0);
    expect(new Set(['h4', 'h5', 'h6'].map(rule)).size).toBe(3);
  });

  it('links footnotes both ways, numbered across groups', () => {
    const html = renderHtml(fixtureModel({ features: true }));
    for (const n of [1, 2, 3, 4]) {
      expect(html).toContain(`<a href="#fn-${n}" id="fnref-${n}">${n}</a>`);
      expect(html).toContain(`<li id="fn-${n}">`);
    }
    expect(html).toContain('<strong>Marco regulatorio adecuado<sup class="fnref"><a href="#fn-1" id="fnref-1">1</a></sup> y contexto favorable</strong>');
    expect(html).toContain('<ol start="3">\n<li id="fn-3">');
  });

  it('escapes what people wrote and drops links that are not web, mail or phone links', () => {
    const model: Consolidated = {
      ...fixtureModel(),
      groups: [{
        id: 'x', name: '<script>alert(1)</script>', title: '', question: '"¿q?"', cards: [],
        sections: [{ heading: 'a & b', body: [{ type: 'paragraph', content: [
          { type: 'text', text: 'malo', marks: { link: 'javascript:alert(1)' } },
          { type: 'text', text: ' bueno', marks: { link: 'https://ejemplo.org/?a=1&b="2"' } },
        ] }] }],
      }],
    };
    const html = renderHtml(model);
    expect(html).toContain('<h2>&lt;script&gt;alert(1)&lt;/script&gt;</h2>');
    expect(html).toContain('<h3>a &amp; b</h3>');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('<p>malo <a href="https://ejemplo.org/?a=1&amp;b=&quot;2&quot;">bueno</a></p>');
  });
});
