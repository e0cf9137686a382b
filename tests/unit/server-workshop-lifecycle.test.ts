// The small rules of a workshop's lifecycle, on an injected clock: how often its last use
// is written, how long a deletion is remembered, and what confirms a deletion in the console.
import { describe, expect, it } from 'vitest';
import { ErasedWorkshops, WorkshopDeletedError } from '../../server/workshops/erased-workshops.js';
import { WorkshopUse } from '../../server/workshops/workshop-use.js';
import { confirmsTitle } from '../../client/lib/title-confirmation.js';

describe('WorkshopUse', () => {
  function recorder(everyMs = 1_000) {
    let now = 0;
    const writes: Array<[string, number]> = [];
    const use = new WorkshopUse({ touch: async (w, at) => void writes.push([w, at]), onError: () => undefined, everyMs, now: () => now });
    return { use, writes, advance: (ms: number) => (now += ms) };
  }

  it('writes the first use at once, then at most once per interval per workshop', () => {
    const { use, writes, advance } = recorder();
    use.used('a');
    use.used('a');
    use.used('b');
    advance(999);
    use.used('a');
    advance(1);
    use.used('a');
    expect(writes).toEqual([['a', 0], ['b', 0], ['a', 1000]]);
  });

  it('after forget, the next use is written at once', () => {
    const { use, writes, advance } = recorder();
    use.used('a');
    advance(10);
    use.forget('a');
    use.used('a');
    expect(writes).toEqual([['a', 0], ['a', 10]]);
  });

  it('a write that fails is reported, with the workshop', async () => {
    const errors: string[] = [];
    const use = new WorkshopUse({ touch: () => Promise.reject(new Error('SQLITE_BUSY')), onError: (err, w) => errors.push(`${w}: ${(err as Error).message}`) });
    use.used('a');
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toEqual(['a: SQLITE_BUSY']);
  });
});

describe('ErasedWorkshops', () => {
  it('refuses a deleted workshop, forgets it after an hour, and takes back a deletion that did not happen', () => {
    let now = 0;
    const erased = new ErasedWorkshops(() => now);
    erased.add('a');
    expect(() => erased.check('a')).toThrow(WorkshopDeletedError);
    expect(() => erased.check('b')).not.toThrow();
    now = 61 * 60_000;
    erased.add('b'); // adding prunes what is older than an hour
    expect(erased.has('a')).toBe(false);
    erased.remove('b');
    expect(erased.has('b')).toBe(false);
  });
});

describe('confirmsTitle', () => {
  it.each([
    ['Taller de Cartagena, año 2026', 'Taller de Cartagena, año 2026', true],
    ['  Taller de Cartagena, año 2026 ', 'Taller de Cartagena, año 2026', true],
    ['Taller de Cartagena, an\u0303o 2026', 'Taller de Cartagena, año 2026', true], // ñ typed as n + combining tilde
    ['Taller de Cartagena', 'Taller de Cartagena, año 2026', false],
    ['taller de cartagena, año 2026', 'Taller de Cartagena, año 2026', false],
    ['', '   ', false],
  ])('%j confirms %j: %s', (typed, title, expected) => {
    expect(confirmsTitle(typed, title)).toBe(expected);
  });
});
