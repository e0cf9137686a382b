// One contract, run against every Store implementation (SQLite always; PostgreSQL when
// DATABASE_URL is set — and always under CI).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Store } from '../../server/store/store.js';
import { SqliteStore } from '../../server/store/sqlite.js';
import { PostgresStore } from '../../server/store/postgres.js';
import { LANGUAGES, type Group, type Workshop } from '../../shared/model.js';
import { postgresUrl } from '../support/requires.js';

interface Subject {
  store: Store;
  dispose(): Promise<void>;
}

const pgUrl = await postgresUrl();
const implementations: Array<[string, (() => Promise<Subject>) | null]> = [
  ['SQLite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relatoria-store-'));
    const store = new SqliteStore(join(dir, 'test.db'));
    return { store, dispose: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); } };
  }],
  ['PostgreSQL', pgUrl ? async () => {
    const store = await PostgresStore.open(pgUrl, `contract_${process.pid}_${Date.now()}`);
    return { store, dispose: async () => { await store.dropSchema(); await store.close(); } };
  } : null],
];

let counter = 0;
function sampleWorkshop(): { workshop: Workshop; groups: Group[] } {
  const n = ++counter;
  return {
    workshop: { id: `w${n}`, title: 'Taller de Cartagena — ñandú ¿sí? ¡sí!', place: 'Cartagena de Indias', language: 'es', joinCode: `CODE${n}`, createdAt: 1_800_000_000_000 + n },
    groups: [
      { id: `w${n}gD`, name: 'Grupo D: Escalamiento', question: '¿Cómo escalar?', position: 1 },
      { id: `w${n}gB`, name: 'Grupo B: Cambio Sistémico', question: '', position: 0 },
    ],
  };
}

const update = (text: string): Uint8Array => {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
};

for (const [name, make] of implementations) {
  describe.skipIf(make === null)(`Store contract: ${name}`, () => {
    let subject: Subject;
    let store: Store;
    beforeAll(async () => {
      subject = await make!();
      store = subject.store;
    });
    afterAll(async () => subject?.dispose());

    it('stores a workshop and finds it by id and join code, with groups in order', async () => {
      const { workshop, groups } = sampleWorkshop();
      await store.createWorkshop(workshop, groups);
      expect(await store.getWorkshop(workshop.id)).toEqual({ ...workshop, joinClosed: false });
      expect(await store.findWorkshopByJoinCode(workshop.joinCode)).toEqual({ ...workshop, joinClosed: false });
      expect((await store.listGroups(workshop.id)).map((g) => g.name)).toEqual(['Grupo B: Cambio Sistémico', 'Grupo D: Escalamiento']);
      expect(await store.getWorkshop('nope')).toBeNull();
      expect(await store.findWorkshopByJoinCode('NOPE')).toBeNull();
    });

    it('keeps the language of a workshop, each of those it can have', async () => {
      for (const language of LANGUAGES) {
        const { workshop, groups } = sampleWorkshop();
        await store.createWorkshop({ ...workshop, language }, groups);
        expect((await store.getWorkshop(workshop.id))?.language).toBe(language);
      }
    });

    it('refuses a second workshop with the same join code, storing nothing of it', async () => {
      const a = sampleWorkshop();
      await store.createWorkshop(a.workshop, a.groups);
      const b = sampleWorkshop();
      await expect(store.createWorkshop({ ...b.workshop, joinCode: a.workshop.joinCode }, b.groups)).rejects.toThrow();
      expect(await store.getWorkshop(b.workshop.id)).toBeNull();
      expect(await store.listGroups(b.workshop.id)).toEqual([]);
    });

    it('keeps participants: add, list, move, remove', async () => {
      const { workshop, groups } = sampleWorkshop();
      await store.createWorkshop(workshop, groups);
      const base = { workshopId: workshop.id, removedAt: null };
      await store.addParticipant({ ...base, id: `${workshop.id}-ana`, groupId: groups[0]!.id, name: 'Ana María', joinedAt: 1 });
      await store.addParticipant({ ...base, id: `${workshop.id}-iñaki`, groupId: groups[1]!.id, name: 'Iñaki', joinedAt: 2 });
      await store.moveParticipant(`${workshop.id}-ana`, groups[1]!.id);
      await store.removeParticipant(`${workshop.id}-iñaki`, 99);
      await store.removeParticipant(`${workshop.id}-iñaki`, 150); // the first removal time stays
      expect(await store.listParticipants(workshop.id)).toEqual([
        { ...base, id: `${workshop.id}-ana`, groupId: groups[1]!.id, name: 'Ana María', joinedAt: 1 },
        { ...base, id: `${workshop.id}-iñaki`, groupId: groups[1]!.id, name: 'Iñaki', joinedAt: 2, removedAt: 99 },
      ]);
      expect(await store.getParticipant('nobody')).toBeNull();
    });

    it('remembers the device a participant joined from, and whether someone from it was removed', async () => {
      const { workshop, groups } = sampleWorkshop();
      await store.createWorkshop(workshop, groups);
      const base = { workshopId: workshop.id, groupId: groups[0]!.id, removedAt: null };
      await store.addParticipant({ ...base, id: `${workshop.id}-ana`, name: 'Ana', joinedAt: 1 }, 'device-ana');
      await store.addParticipant({ ...base, id: `${workshop.id}-beto`, name: 'Beto', joinedAt: 2 }, 'device-beto');
      await store.addParticipant({ ...base, id: `${workshop.id}-sin`, name: 'Sin clave', joinedAt: 3 });
      expect(await store.deviceRemoved(workshop.id, 'device-ana')).toBe(false);
      await store.removeParticipant(`${workshop.id}-ana`, 10);
      expect(await store.deviceRemoved(workshop.id, 'device-ana')).toBe(true);
      expect(await store.deviceRemoved(workshop.id, 'device-beto')).toBe(false);
      expect(await store.deviceRemoved('another-workshop', 'device-ana')).toBe(false);
      // The device is the store's own: it never shows in a participant.
      expect((await store.getParticipant(`${workshop.id}-ana`))).toEqual({ ...base, id: `${workshop.id}-ana`, name: 'Ana', joinedAt: 1, removedAt: 10 });
    });

    it('saves and overwrites the session record', async () => {
      const { workshop, groups } = sampleWorkshop();
      await store.createWorkshop(workshop, groups);
      expect(await store.loadSession(workshop.id)).toBeNull();
      await store.saveSession(workshop.id, '{"v":1}');
      await store.saveSession(workshop.id, '{"v":2,"ñ":"¿"}');
      expect(await store.loadSession(workshop.id)).toBe('{"v":2,"ñ":"¿"}');
    });

    it('keeps one ballot row per participant and round, overwritten in place; prunes other rounds', async () => {
      const { workshop, groups } = sampleWorkshop();
      await store.createWorkshop(workshop, groups);
      expect(await store.loadBallots(workshop.id, 'r1')).toEqual(new Map());
      await store.saveBallot(workshop.id, 'r1', 'ana', '{"n":1}');
      await store.saveBallot(workshop.id, 'r1', 'ana', '{"n":2,"ñ":"¿"}');
      await store.saveBallot(workshop.id, 'r1', 'beto', '{"n":3}');
      await store.saveBallot(workshop.id, 'r2', 'ana', '{"n":4}');
      expect(await store.loadBallots(workshop.id, 'r1')).toEqual(new Map([['ana', '{"n":2,"ñ":"¿"}'], ['beto', '{"n":3}']]));
      expect(await store.loadBallots('elsewhere', 'r1')).toEqual(new Map());
      await store.pruneBallots(workshop.id, 'r2');
      expect(await store.loadBallots(workshop.id, 'r1')).toEqual(new Map());
      expect(await store.loadBallots(workshop.id, 'r2')).toEqual(new Map([['ana', '{"n":4}']]));
    });

    it('appends updates in order and loads them byte for byte', async () => {
      const doc = `${++counter}/board`;
      const updates = ['uno', 'dos', 'tres'].map(update);
      const seqs: number[] = [];
      for (const u of updates) seqs.push(await store.appendUpdate(doc, u));
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      const loaded = await store.loadDoc(doc);
      expect(loaded.snapshot).toBeNull();
      expect(loaded.updates.map((u) => Buffer.from(u).toString('hex'))).toEqual(updates.map((u) => Buffer.from(u).toString('hex')));
      expect(loaded.lastSeq).toBe(seqs[2]);
      expect(await store.loadDoc(`${doc}-other`)).toEqual({ snapshot: null, updates: [], lastSeq: 0 });
    });

    it('keeps the order of appends sent without waiting, several boards at once (as boards send them)', async () => {
      const docs = [1, 2, 3].map((i) => `${++counter}/board-${i}`);
      const sent = docs.map((doc) => Array.from({ length: 60 }, (_, i) => update(`${doc} ${i}`)));
      // Interleaved across boards, none awaited before the next is sent.
      const pending = sent[0]!.flatMap((_, i) => docs.map((doc, d) => store.appendUpdate(doc, sent[d]![i]!)));
      const seqs = await Promise.all(pending);
      for (const [d, doc] of docs.entries()) {
        const own = seqs.filter((_, k) => k % docs.length === d);
        expect([...own].sort((a, b) => a - b), doc).toEqual(own);
        const loaded = await store.loadDoc(doc);
        expect(loaded.updates.map((u) => Buffer.from(u).toString('hex'))).toEqual(sent[d]!.map((u) => Buffer.from(u).toString('hex')));
        expect(loaded.lastSeq).toBe(own.at(-1));
      }
    });

    it('compaction replaces updates up to a sequence number, keeping later ones', async () => {
      const doc = `${++counter}/board`;
      const a = new Y.Doc();
      const appends: Array<Promise<number>> = [];
      a.on('update', (u: Uint8Array) => appends.push(store.appendUpdate(doc, u)));
      a.getText('t').insert(0, 'Conclusiones');
      a.getText('t').insert(12, ' y Recomendaciones');
      // Awaited, not waited for: a busy PostgreSQL can take longer than any fixed pause.
      const seqs = await Promise.all(appends);
      expect(seqs).toHaveLength(2);
      await store.compactDoc(doc, Y.encodeStateAsUpdate(a), seqs[1]!);
      const later = new Y.Doc();
      Y.applyUpdate(later, Y.encodeStateAsUpdate(a));
      later.getText('t').insert(0, '## ');
      const lastSeq = await store.appendUpdate(doc, Y.encodeStateAsUpdate(later, Y.encodeStateVector(a)));

      const loaded = await store.loadDoc(doc);
      expect(loaded.snapshot).not.toBeNull();
      expect(loaded.updates).toHaveLength(1);
      expect(loaded.lastSeq).toBe(lastSeq);
      const restored = new Y.Doc();
      Y.applyUpdate(restored, loaded.snapshot!);
      for (const u of loaded.updates) Y.applyUpdate(restored, u);
      expect(restored.getText('t').toString()).toBe('## Conclusiones y Recomendaciones');

      // A second compaction through the last update leaves only the snapshot.
      await store.compactDoc(doc, Y.encodeStateAsUpdate(restored), lastSeq);
      const again = await store.loadDoc(doc);
      expect(again.updates).toHaveLength(0);
      expect(again.lastSeq).toBe(lastSeq);
    });

    it('keeps versions of a board, newest first, with their states', async () => {
      const doc = `${++counter}/board`;
      const v = (id: string, createdAt: number) => ({ id: `${counter}-${id}`, kind: 'named' as const, label: `versión ${id}`, createdAt, createdBy: 'Ana' });
      await store.addVersion(doc, v('a', 10), update('primera'));
      await store.addVersion(doc, v('b', 20), update('segunda'));
      await store.addVersion(`${doc}-other`, v('c', 30), update('otra'));
      expect((await store.listVersions(doc)).map((x) => x.label)).toEqual(['versión b', 'versión a']);
      const got = await store.getVersion(doc, `${counter}-a`);
      expect(got?.info).toEqual(v('a', 10));
      const restored = new Y.Doc();
      Y.applyUpdate(restored, got!.snapshot);
      expect(restored.getText('t').toString()).toBe('primera');
      expect(await store.getVersion(doc, `${counter}-c`)).toBeNull();
    });

    it('deletes the named versions of one board only (thinning); unknown ids change nothing', async () => {
      const doc = `${++counter}/board`;
      const v = (id: string, createdAt: number) => ({ id: `${counter}-${id}`, kind: 'auto' as const, label: '', createdAt, createdBy: '' });
      for (const [id, at] of [['a', 10], ['b', 20], ['c', 30]] as const) await store.addVersion(doc, v(id, at), update(id));
      await store.addVersion(`${doc}-other`, v('d', 40), update('d'));
      await store.deleteVersions(doc, [`${counter}-a`, `${counter}-c`, `${counter}-d`, 'nope']);
      expect((await store.listVersions(doc)).map((x) => x.id)).toEqual([`${counter}-b`]);
      expect((await store.listVersions(`${doc}-other`)).map((x) => x.id)).toEqual([`${counter}-d`]);
      await store.deleteVersions(doc, []);
      expect(await store.listVersions(doc)).toHaveLength(1);
    });

    it('deletes a workshop and everything of it, and nothing of workshops whose ids begin the same', async () => {
      const make = async (id: string) => {
        const { workshop, groups } = sampleWorkshop();
        const w = { ...workshop, id, joinCode: `J${id}` };
        const gs = groups.map((g, i) => ({ ...g, id: `${id}g${i}` }));
        await store.createWorkshop(w, gs);
        await store.addParticipant({ id: `${id}-ana`, workshopId: id, groupId: gs[0]!.id, name: 'Ana', joinedAt: 1, removedAt: null });
        await store.saveSession(id, '{"v":1}');
        await store.addLink({ id: `${id}-link`, workshopId: id, role: 'projector', groupId: null, participantId: null, createdAt: 1, lastUsedAt: null, expiresAt: 2, revokedAt: null });
        await store.saveBallot(id, 'r1', `${id}-ana`, '{"dots":1}');
        for (const g of gs) {
          const doc = `${id}/${g.id}`;
          const seq = await store.appendUpdate(doc, update(`tablero ${doc}`));
          await store.compactDoc(doc, update(`instantánea ${doc}`), seq);
          await store.appendUpdate(doc, update(`después ${doc}`));
          await store.addVersion(doc, { id: `${doc}-v`, kind: 'named', label: 'v', createdAt: 1, createdBy: 'Ana' }, update('versión'));
        }
        return { id, docs: gs.map((g) => `${id}/${g.id}`) };
      };
      const base = `del${++counter}`;
      const doomed = await make(base);
      const neighbours = await Promise.all([`${base}1`, `${base}-b`, `${base}_c`].map(make));
      const template = { id: `${base}-template`, name: 'Plantilla', language: 'es' as const, title: 'Taller', builtIn: false, groups: [], agenda: [] };
      await store.saveTemplate(template, 1);

      expect(await store.deleteWorkshop(doomed.id)).toBe(true);
      expect(await store.getWorkshop(doomed.id)).toBeNull();
      expect(await store.listGroups(doomed.id)).toEqual([]);
      expect(await store.listParticipants(doomed.id)).toEqual([]);
      expect(await store.getParticipant(`${doomed.id}-ana`)).toBeNull();
      expect(await store.loadSession(doomed.id)).toBeNull();
      expect(await store.listLinks(doomed.id)).toEqual([]);
      expect(await store.getLink(`${doomed.id}-link`)).toBeNull();
      expect(await store.loadBallots(doomed.id, 'r1')).toEqual(new Map());
      for (const doc of doomed.docs) {
        expect(await store.loadDoc(doc)).toEqual({ snapshot: null, updates: [], lastSeq: 0 });
        expect(await store.listVersions(doc)).toEqual([]);
      }
      for (const n of neighbours) {
        expect(await store.getWorkshop(n.id), n.id).not.toBeNull();
        expect(await store.listParticipants(n.id)).toHaveLength(1);
        expect(await store.loadSession(n.id)).toBe('{"v":1}');
        expect(await store.listLinks(n.id)).toHaveLength(1);
        expect((await store.loadBallots(n.id, 'r1')).size).toBe(1);
        for (const doc of n.docs) {
          expect((await store.loadDoc(doc)).updates, doc).toHaveLength(1);
          expect(await store.listVersions(doc)).toHaveLength(1);
        }
      }
      expect(await store.getTemplate(template.id)).toEqual(template);
      expect(await store.deleteWorkshop(doomed.id)).toBe(false);
    });

    it('records links: listed oldest first, last use never moved back, revoked once and for this workshop only', async () => {
      const { workshop, groups } = sampleWorkshop();
      await store.createWorkshop(workshop, groups);
      const link = (id: string, createdAt: number) => ({
        id, workshopId: workshop.id, role: 'participant' as const, groupId: groups[0]!.id, participantId: `${id}-p`, createdAt, lastUsedAt: null, expiresAt: createdAt + 100, revokedAt: null,
      });
      const [b, a] = [link(`${workshop.id}-b`, 20), link(`${workshop.id}-a`, 10)];
      await store.addLink(b);
      await store.addLink(a);
      await store.addLink({ ...a, expiresAt: 999 }); // recorded already: left as it is
      expect(await store.listLinks(workshop.id)).toEqual([a, b]);
      await store.touchLink(a.id, 50);
      await store.touchLink(a.id, 40);
      expect((await store.getLink(a.id))?.lastUsedAt).toBe(50);
      expect(await store.revokeLink('another', a.id, 60)).toBeNull();
      expect(await store.revokeLink(workshop.id, a.id, 60)).toMatchObject({ id: a.id, revokedAt: 60 });
      expect(await store.revokeLink(workshop.id, a.id, 70)).toMatchObject({ revokedAt: 60 });
      expect(await store.revokeLink(workshop.id, 'nope', 70)).toBeNull();
      expect(await store.getLink('nope')).toBeNull();
    });

    it('rotates the join code and closes joining', async () => {
      const { workshop, groups } = sampleWorkshop();
      await store.createWorkshop(workshop, groups);
      await store.setJoinCode(workshop.id, `NEW${workshop.joinCode}`);
      expect(await store.findWorkshopByJoinCode(workshop.joinCode)).toBeNull();
      expect((await store.findWorkshopByJoinCode(`NEW${workshop.joinCode}`))?.id).toBe(workshop.id);
      await store.setJoinClosed(workshop.id, true);
      expect((await store.getWorkshop(workshop.id))?.joinClosed).toBe(true);
      await store.setJoinClosed(workshop.id, false);
      expect((await store.getWorkshop(workshop.id))?.joinClosed).toBe(false);
    });

    it('records when a workshop was last used, never moving it back, and lists the idle ones oldest first', async () => {
      const a = sampleWorkshop();
      const b = sampleWorkshop();
      const before = Date.now();
      await store.createWorkshop(a.workshop, a.groups);
      await store.createWorkshop(b.workshop, b.groups);
      const mine = async (cutoff: number) => (await store.listIdleWorkshops(cutoff, 10_000)).filter((w) => [a.workshop.id, b.workshop.id].includes(w.id));
      // Created now (not when an archive says the workshop took place): not idle before now.
      expect(await mine(before)).toEqual([]);
      await store.touchWorkshop(a.workshop.id, before + 60_000);
      await store.touchWorkshop(b.workshop.id, before + 30_000);
      await store.touchWorkshop(b.workshop.id, before + 10_000); // older: ignored
      expect(await mine(before + 90_000)).toEqual([
        { id: b.workshop.id, lastActivityAt: before + 30_000 },
        { id: a.workshop.id, lastActivityAt: before + 60_000 },
      ]);
      expect((await mine(before + 45_000)).map((w) => w.id)).toEqual([b.workshop.id]);
    });

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('keeps saved templates, found by id', async () => {
      const t = (id: string) => ({ id: `${++counter}-${id}`, name: `Plantilla ${id} ñ`, language: 'es' as const, title: 'Taller', builtIn: false,
        groups: [{ name: 'Grupo B', question: '¿Qué?', sections: ['Conclusiones'] }], agenda: [{ name: 'Cierre', durationSec: 60, kind: 'closing' as const }] });
      const first = t('a');
      await store.saveTemplate(first, 1);
      expect(await store.getTemplate(first.id)).toEqual(first);
      expect(await store.getTemplate(`${first.id}-not`)).toBeNull();
    });
  });
}
