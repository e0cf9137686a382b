// Repair of mis-decoded text (server/import/mojibake.ts): a document whose UTF-8 was read as
// Mac Roman or Windows-1252 comes back character for character; correct text is never changed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { misdecode, repairMojibake } from '../../server/import/mojibake.js';
import { fixture } from '../support/fixtures.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('mis-decoded text is repaired', () => {
  it('restores the strategy document read as Mac Roman, identical to the original', () => {
    const original = fixture('estrategia-analytics.md');
    const broken = fixture('estrategia-analytics.mac-roman.md');
    expect(broken).toContain('PIR√ÅMIDE');
    expect(broken).toContain('‚îå‚îÄ‚îÄ');
    const { text, repaired, codePage } = repairMojibake(broken);
    expect(text).toBe(original);
    expect(codePage).toBe('mac-roman');
    expect(repaired).toBe(broken.length - [...broken].filter((c) => c.charCodeAt(0) < 0x80).length);
  });

  it('restores group B read as Windows-1252 (curly quotes and dashes too), identical to the original', () => {
    const original = fixture('grupo-b-cambio-sistemico.md');
    const broken = fixture('grupo-b-cambio-sistemico.windows-1252.md');
    expect(broken).toContain('SistÃ©mico');
    const { text, codePage } = repairMojibake(broken);
    expect(text).toBe(original);
    expect(codePage).toBe('windows-1252');
  });

  it('repairs the issue\'s samples, and text read as ISO-8859-1 (C1 controls for 0x80–0x9F)', () => {
    expect(repairMojibake('M√©tricas, A√±o y PIR√ÅMIDE').text).toBe('Métricas, Año y PIRÁMIDE');
    expect(repairMojibake('It‚Äôs ‚îå‚îÄ‚îÄ').text).toBe('It’s ┌──');
    expect(repairMojibake('MÃ©tricas del aÃ±o').text).toBe('Métricas del año');
    expect(repairMojibake(misdecode(bytes('dijo “sí” — ya'), 'windows-1252')).text).toBe('dijo “sí” — ya');
    expect(repairMojibake('caf\u00c3\u00a9 y a\u00c3\u00b1o, it\u00e2\u0080\u0099s').text).toBe('café y año, it’s');
  });

  it('leaves a document that is only mis-decoded bytes repaired or as it was, never worse', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.constantFrom('mac-roman' as const, 'windows-1252' as const), (raw, page) => {
        const broken = misdecode(raw, page);
        const { text } = repairMojibake(broken);
        if (text !== broken) expect(misdecode(bytes(text), page)).toBe(broken); // a repair is exactly the inverse
      }),
    );
  });
});

// Genuine text: words of Spanish and Portuguese (accents, ñ, ç, tildes, capitals) with the
// punctuation they are written with: ¿? ¡! «» “” ‘’ — – … º ª °.
const letters = [...'abcdefghijklmnopqrstuvwxyzáéíóúüñçãõâêôàABCDEFGHIJKLMNOPQRSTUVWXYZÁÉÍÓÚÜÑÇÃÕÂÊÔÀ'];
const word = fc.array(fc.constantFrom(...letters), { minLength: 1, maxLength: 10 }).map((cs) => cs.join(''));
const vocabulary = fc.constantFrom('año', 'métricas', 'PIRÁMIDE', 'ação', 'IRMÃ', 'coração', 'NÃO', 'pingüino', 'Ñandú', 'ÉL', 'Óscar', 'nº', '1.ª', '20 °C', 'señal', 'AÇÃO');
const token = fc.oneof(word, vocabulary);
const wrapped = fc.tuple(token, fc.constantFrom(['', ''], ['¿', '?'], ['¡', '!'], ['«', '»'], ['“', '”'], ['‘', '’'], ['(', ')'], ['', '…'], ['', ','], ['', '.']))
  .map(([w, [open, close]]) => `${open}${w}${close}`);
const sentence = fc.array(fc.oneof(wrapped, fc.constant('—'), fc.constant('–')), { minLength: 1, maxLength: 20 }).map((ws) => ws.join(' '));

describe('correct text is never touched', () => {
  it('keeps any Spanish or Portuguese text as it is', () => {
    fc.assert(
      fc.property(fc.array(sentence, { minLength: 1, maxLength: 8 }), (lines) => {
        const text = lines.join('\n');
        expect(repairMojibake(text)).toEqual({ text, repaired: 0, codePage: null });
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the fixtures as they are', () => {
    for (const name of ['grupo-b-cambio-sistemico.md', 'grupo-d-escalamiento.md', 'estrategia-analytics.md', 'presentacion-red-pip.txt']) {
      expect(repairMojibake(fixture(name)).repaired).toBe(0);
    }
  });
});
