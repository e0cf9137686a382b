import { describe, expect, it } from 'vitest';
import { en } from '../../client/lib/i18n/en.js';
import { es } from '../../client/lib/i18n/es.js';
import { formatMessage, pickLanguage } from '../../client/lib/i18n/format.js';

const holes = (m: unknown): string[] =>
  [...JSON.stringify(m).matchAll(/\{(\w+)\}/g)].map((x) => x[1] ?? '').sort();

describe('client i18n', () => {
  it('translates every Spanish key into English, with the same placeholders and plural forms', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(es).sort());
    for (const key of Object.keys(es) as Array<keyof typeof es>) {
      expect([key, holes(en[key])]).toEqual([key, holes(es[key])]);
      expect([key, typeof en[key]]).toEqual([key, typeof es[key]]);
    }
  });

  it('has no empty message', () => {
    for (const catalogue of [es, en]) {
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

  it('fills placeholders and picks plural forms by count, keeping accents', () => {
    expect(formatMessage(es['presence.count'], 'es', { count: 1 })).toBe('1 persona aquí');
    expect(formatMessage(es['presence.count'], 'es', { count: 3 })).toBe('3 personas aquí');
    expect(formatMessage(en['cards.count'], 'en', { count: 0 })).toBe('0 ideas');
    expect(formatMessage(en['cards.count'], 'en', { count: 1 })).toBe('1 idea');
    expect(formatMessage(es['join.continueAs'], 'es', { name: 'Begoña' })).toBe('Continuar como Begoña');
    expect(formatMessage('{n} de {total}', 'es', { n: 12 })).toBe('12 de {total}');
  });
});
