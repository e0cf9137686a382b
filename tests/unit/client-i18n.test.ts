import { describe, expect, it } from 'vitest';
import { en } from '../../client/lib/i18n/en.js';
import { es } from '../../client/lib/i18n/es.js';
import { formatMessage, pickLanguage } from '../../client/lib/i18n/format.js';
import { pt } from '../../client/lib/i18n/pt.js';

const holes = (m: unknown): string[] =>
  [...JSON.stringify(m).matchAll(/\{(\w+)\}/g)].map((x) => x[1] ?? '').sort();

describe('client i18n', () => {
  it.each([['English', en], ['Portuguese', pt]] as const)('translates every Spanish key into %s, with the same placeholders and plural forms', (_, catalogue) => {
    expect(Object.keys(catalogue).sort()).toEqual(Object.keys(es).sort());
    for (const key of Object.keys(es) as Array<keyof typeof es>) {
      expect([key, holes(catalogue[key])]).toEqual([key, holes(es[key])]);
      expect([key, typeof catalogue[key]]).toEqual([key, typeof es[key]]);
      const message = catalogue[key];
      if (typeof message !== 'string') expect([key, Object.keys(message).sort()]).toEqual([key, Object.keys(es[key]).sort()]);
    }
  });

  it('translates, not copies: most Portuguese messages differ from both the Spanish and the English', () => {
    const same = (Object.keys(es) as Array<keyof typeof es>).filter((k) => JSON.stringify(pt[k]) === JSON.stringify(es[k]) || JSON.stringify(pt[k]) === JSON.stringify(en[k]));
    // Names, formats and cognates stay (Relatoría, PDF, "Grupos", "Cancelar", "Fase {n} de {count}"…): some 17 %.
    expect(same.length).toBeLessThan(Object.keys(es).length * 0.25);
  });

  it('has no empty message', () => {
    for (const catalogue of [es, en, pt]) {
      for (const [key, message] of Object.entries(catalogue)) {
        const forms: string[] = typeof message === 'string' ? [message] : Object.values(message).filter((f): f is string => typeof f === 'string');
        for (const form of forms) expect([key, form.trim().length > 0]).toEqual([key, true]);
      }
    }
  });

  it('picks the stored language, else the browser’s, else Spanish', () => {
    expect(pickLanguage('en', ['es-ES'])).toBe('en');
    expect(pickLanguage(null, ['fr-FR', 'en-GB', 'es'])).toBe('en');
    expect(pickLanguage('de', ['ES-mx'])).toBe('es');
    expect(pickLanguage(null, ['fr', 'de'])).toBe('es');
  });

  it('picks Portuguese for a Brazilian or Portuguese browser, and keeps a stored choice of it', () => {
    expect(pickLanguage(null, ['pt-BR', 'en-US'])).toBe('pt');
    expect(pickLanguage(null, ['pt'])).toBe('pt');
    expect(pickLanguage(null, ['fr-FR', 'pt-PT', 'es'])).toBe('pt');
    expect(pickLanguage('pt', ['es-ES'])).toBe('pt');
    expect(pickLanguage(null, ['es-AR', 'pt-BR'])).toBe('es');
  });

  it('counts in Portuguese: one, none and many in the plural, Brazilian digit grouping', () => {
    expect(formatMessage(pt['cards.count'], 'pt', { count: 1 })).toBe('1 ideia');
    expect(formatMessage(pt['cards.count'], 'pt', { count: 0 })).toBe('0 ideias');
    expect(formatMessage(pt['cards.count'], 'pt', { count: 2 })).toBe('2 ideias');
    expect(formatMessage(pt['presence.count'], 'pt', { count: 1500 })).toBe('1.500 pessoas aqui');
    expect(formatMessage(pt['presence.count'], 'pt', { count: 1_000_000 })).toBe('1.000.000 pessoas aqui');
    expect(formatMessage(pt['session.vote.left'], 'pt', { count: 0 })).toBe('pontos restantes');
    expect(formatMessage(pt['join.continueAs'], 'pt', { name: 'João' })).toBe('Continuar como João');
    expect(new Intl.DateTimeFormat('pt', { dateStyle: 'long', timeZone: 'UTC' }).format(Date.UTC(2025, 10, 21, 12))).toBe('21 de novembro de 2025');
  });

  it('fills placeholders and picks plural forms by count, keeping accents', () => {
    expect(formatMessage(es['presence.count'], 'es', { count: 1 })).toBe('1 persona aquí');
    expect(formatMessage(es['presence.count'], 'es', { count: 3 })).toBe('3 personas aquí');
    expect(formatMessage(en['cards.count'], 'en', { count: 0 })).toBe('0 ideas');
    expect(formatMessage(en['cards.count'], 'en', { count: 1 })).toBe('1 idea');
    expect(formatMessage(es['join.continueAs'], 'es', { name: 'Begoña' })).toBe('Continuar como Begoña');
    expect(formatMessage('{n} de {total}', 'es', { n: 12 })).toBe('12 de {total}');
  });
});
