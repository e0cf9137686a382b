// Presence across nodes (cluster mode, issue 14): real servers sharing one PostgreSQL
// schema and one Redis. People on every node count in the roster and presence seen on any
// node; one leaving on a node goes offline on the others; a node that stops drops its
// people at once; a killed node's people go offline on the survivors within the bound the
// heartbeat gives (docs/ARCHITECTURE.md, "Presence across nodes"); a burst of arrivals is
// published in a few coalesced messages, not one per arrival.
import { Redis } from 'ioredis';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { PresenceEntry, RosterEntry } from '../../shared/protocol.js';
import { joinWorkshop, setupWorkshop } from '../helpers/api.js';
import { startCluster } from '../helpers/cluster.js';
import { redisProxy } from '../helpers/tcp-proxy.js';
import { connectSocket, flush } from '../helpers/facilitation.js';
import { waitFor } from '../helpers/wait.js';
import { postgresUrl, redisUrl } from '../support/requires.js';
import { ClusterPresence, HEARTBEAT_EVERY_MS, HEARTBEAT_TTL_MS, LIVENESS_CHECK_MS } from '../../server/cluster/cluster-presence.js';
import { PRESENCE_INTERVAL } from '../../server/facilitation/session-throttle.js';

const pg = await postgresUrl();
const redis = await redisUrl();

const onlineIds = (roster: RosterEntry[]) => roster.filter((r) => r.online).map((r) => r.participantId).sort();
const presentIds = (presence: PresenceEntry[]) => presence.filter((p) => p.participantId !== null).map((p) => p.participantId!).sort();
const sorted = (...ids: string[]) => [...ids].sort();

/** What a killed node's people wait for: its heartbeat to lapse, one liveness check, the presence throttle, and 2 s of slack for a loaded machine. */
const KILLED_NODE_BOUND_MS = HEARTBEAT_TTL_MS + LIVENESS_CHECK_MS + PRESENCE_INTERVAL.everyMs + 2_000;

/** Two nodes; the facilitator on A sees Bruno, connected through B, online. */
async function brunoOnB() {
  const { nodes } = await startCluster(pg!, redis!, 2);
  const [a, b] = [nodes[0]!, nodes[1]!];
  const w = await setupWorkshop(a.url);
  const bruno = await joinWorkshop(a.url, w.workshop, w.boardB.groupId, 'Bruno');
  const facA = await connectSocket(a.url, w.facilitatorToken);
  await connectSocket(b.url, bruno.token);
  await facA.next('roster:update', (r) => onlineIds(r).join() === bruno.participantId, 0, 10_000);
  return { a, b, w, bruno, facA };
}

describe.skipIf(pg === null || redis === null)('presence across nodes (cluster mode)', () => {
  it('people on two nodes are online in the roster and presence of either; one leaving on B goes offline on A', async () => {
    const { nodes } = await startCluster(pg!, redis!, 2);
    const [a, b] = [nodes[0]!, nodes[1]!];
    const w = await setupWorkshop(a.url);
    const ana = await joinWorkshop(a.url, w.workshop, w.boardA.groupId, 'Ana');
    // Bruno joins through B: A has never heard of him until he is online there.
    const bruno = await joinWorkshop(b.url, w.workshop, w.boardB.groupId, 'Bruno');
    const facA = await connectSocket(a.url, w.facilitatorToken);
    const facB = await connectSocket(b.url, w.facilitatorToken);
    const anaS = await connectSocket(a.url, ana.token);
    const brunoS = await connectSocket(b.url, bruno.token);
    const both = sorted(ana.participantId, bruno.participantId);

    for (const fac of [facA, facB]) {
      const [roster] = await fac.next('roster:update', (r) => onlineIds(r).join() === both.join(), 0, 10_000);
      expect(roster.find((r) => r.participantId === bruno.participantId)).toMatchObject({ name: 'Bruno', groupId: w.boardB.groupId, online: true });
      const [presence] = await fac.next('presence:update', (p) => presentIds(p).join() === both.join(), 0, 10_000);
      // One facilitator with a tab on each node: one entry, two connections.
      expect(presence.filter((p) => p.role === 'facilitator')).toEqual([expect.objectContaining({ connections: 2 })]);
      expect(presence.find((p) => p.participantId === bruno.participantId)).toMatchObject({ name: 'Bruno', groupId: w.boardB.groupId, connections: 1 });
    }
    // Only the consoles are told who is online: Ana's phone heard none of it.
    await flush(anaS);
    expect(anaS.snapshot.presence).toEqual([]);
    expect(anaS.all('presence:update')).toEqual([]);
    // A socket arriving later on A gets everyone in its snapshot.
    const late = await connectSocket(a.url, w.facilitatorToken);
    expect(presentIds(late.snapshot.presence)).toEqual(both);

    const since = facA.events.length;
    brunoS.close();
    const [after] = await facA.next('roster:update', (r) => onlineIds(r).join() === ana.participantId, since, 10_000);
    expect(after.find((r) => r.participantId === bruno.participantId)).toMatchObject({ online: false });
    await facA.next('presence:update', (p) => presentIds(p).join() === ana.participantId, since, 10_000);
    await facB.next('roster:update', (r) => onlineIds(r).join() === ana.participantId, since, 10_000);
  });

  it('a node that stops drops its people on the others at once, long before its heartbeat would lapse', async () => {
    const { a, b, w, facA } = await brunoOnB();

    // Only B's presence stops (its sockets stay open): what A hears is B's goodbye, not a disconnection.
    const since = facA.events.length;
    await b.cluster.presence.close();
    const stoppedAt = Date.now();
    await facA.next('roster:update', (r) => onlineIds(r).length === 0, since, 10_000);
    // Its heartbeat, refreshed at most a second before, would keep them 2 s longer at least.
    expect(Date.now() - stoppedAt).toBeLessThan(HEARTBEAT_TTL_MS - HEARTBEAT_EVERY_MS);
    expect(await presenceFields(a.cluster.link.prefix, w.workshop.id)).not.toContain(b.cluster.presence.member);
  });

  it('a member starting under a node id drops the older members of that id at once (a restart under the same NODE_ID)', async () => {
    const { b, facA } = await brunoOnB();

    // B's id starts again (its old member's heartbeat still fresh): what the old one had is gone.
    const since = facA.events.length;
    const restarted = new ClusterPresence({ link: b.cluster.link, log: b.log });
    onTestFinished(() => restarted.close());
    await restarted.start();
    const startedAt = Date.now();
    await facA.next('roster:update', (r) => onlineIds(r).length === 0, since, 10_000);
    expect(Date.now() - startedAt).toBeLessThan(HEARTBEAT_TTL_MS - HEARTBEAT_EVERY_MS);
  });

  it('a node shut down as main.ts does it leaves nobody online behind it, in the roster or in Redis', async () => {
    const { a, b, w, facA } = await brunoOnB();
    const since = facA.events.length;
    await b.close();
    await facA.next('roster:update', (r) => onlineIds(r).length === 0, since, 10_000);
    expect(await presenceFields(a.cluster.link.prefix, w.workshop.id)).not.toContain(b.cluster.presence.member);
  });

  it('kill -9 of a node: its people go offline on the survivor within the bound, and its entries leave Redis; restarted, it starts clean', async () => {
    const cluster = await startCluster(pg!, redis!, 1);
    const a = cluster.nodes[0]!;
    const child = await cluster.addChildNode('doomed');
    const w = await setupWorkshop(a.url);
    const ana = await joinWorkshop(a.url, w.workshop, w.boardA.groupId, 'Ana');
    const bruno = await joinWorkshop(a.url, w.workshop, w.boardB.groupId, 'Bruno');
    const facA = await connectSocket(a.url, w.facilitatorToken);
    await connectSocket(child.url, ana.token);
    await connectSocket(a.url, bruno.token);
    const both = sorted(ana.participantId, bruno.participantId);
    await facA.next('roster:update', (r) => onlineIds(r).join() === both.join(), 0, 15_000);
    const fields = await presenceFields(a.cluster.link.prefix, w.workshop.id);
    const doomed = fields.filter((f) => f.startsWith('doomed#'));
    expect(doomed).toHaveLength(1);

    let offlineAt: number | null = null;
    let goneAt: number | null = null;
    facA.socket.on('roster:update', (r) => {
      if (offlineAt === null && onlineIds(r).join() === bruno.participantId) offlineAt = Date.now();
    });
    facA.socket.on('presence:update', (p) => {
      if (goneAt === null && presentIds(p).join() === bruno.participantId) goneAt = Date.now();
    });
    const killedAt = Date.now();
    expect(await child.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    await waitFor(() => offlineAt !== null && goneAt !== null, KILLED_NODE_BOUND_MS + 10_000, 'Ana offline on the survivor');
    console.info(`killed node: roster offline after ${offlineAt! - killedAt} ms, presence after ${goneAt! - killedAt} ms (bound ${KILLED_NODE_BOUND_MS} ms)`);
    expect(offlineAt! - killedAt).toBeLessThanOrEqual(KILLED_NODE_BOUND_MS);
    expect(goneAt! - killedAt).toBeLessThanOrEqual(KILLED_NODE_BOUND_MS);
    await waitFor(async () => !(await presenceFields(a.cluster.link.prefix, w.workshop.id)).includes(doomed[0]!), 5_000, 'the dead node’s entries to leave Redis');

    // The same node id again: a new member, with nothing of the old one's.
    const again = await cluster.addChildNode('doomed');
    const since = facA.events.length;
    await connectSocket(again.url, ana.token);
    await facA.next('roster:update', (r) => onlineIds(r).join() === both.join(), since, 15_000);
    const now = (await presenceFields(a.cluster.link.prefix, w.workshop.id)).filter((f) => f.startsWith('doomed#'));
    expect(now).toHaveLength(1);
    expect(now[0]).not.toBe(doomed[0]);
  }, 120_000); // two node processes to start on a shared 2-core machine

  it('a stalled node (SIGSTOP past its heartbeat) has its people dropped, and publishes them again once it runs', async () => {
    const cluster = await startCluster(pg!, redis!, 1);
    const a = cluster.nodes[0]!;
    const child = await cluster.addChildNode('stalled');
    const w = await setupWorkshop(a.url);
    const ana = await joinWorkshop(a.url, w.workshop, w.boardA.groupId, 'Ana');
    const facA = await connectSocket(a.url, w.facilitatorToken);
    await connectSocket(child.url, ana.token);
    await facA.next('roster:update', (r) => onlineIds(r).join() === ana.participantId, 0, 15_000);

    const since = facA.events.length;
    child.proc.kill('SIGSTOP');
    try {
      await facA.next('roster:update', (r) => onlineIds(r).length === 0, since, KILLED_NODE_BOUND_MS + 5_000);
    } finally {
      child.proc.kill('SIGCONT');
    }
    const back = facA.events.length;
    await facA.next('roster:update', (r) => onlineIds(r).join() === ana.participantId, back, 15_000);
    await waitFor(() => child.output().includes('heartbeat had lapsed'), 5_000, "the node's lapsed-heartbeat line");
  }, 120_000); // two node processes to start on a shared 2-core machine

  it('a node cut from Redis longer than its heartbeat: its people go offline elsewhere, and come back with Redis', async () => {
    const proxy = await redisProxy(redis!);
    const cluster = await startCluster(pg!, redis!, 1);
    const a = cluster.nodes[0]!;
    const cut = await cluster.addNode({ redisUrl: proxy.url });
    const w = await setupWorkshop(a.url);
    const bruno = await joinWorkshop(a.url, w.workshop, w.boardB.groupId, 'Bruno');
    const ana = await joinWorkshop(a.url, w.workshop, w.boardA.groupId, 'Ana');
    const facA = await connectSocket(a.url, w.facilitatorToken);
    const facCut = await connectSocket(cut.url, w.facilitatorToken);
    await connectSocket(cut.url, bruno.token);
    await facA.next('roster:update', (r) => onlineIds(r).join() === bruno.participantId, 0, 10_000);

    proxy.cut();
    const since = facA.events.length;
    await facA.next('roster:update', (r) => onlineIds(r).length === 0, since, KILLED_NODE_BOUND_MS + 5_000);
    // Meanwhile Ana arrives on A: the cut node hears of her once Redis is back.
    const sinceCut = facCut.events.length;
    await connectSocket(a.url, ana.token);
    proxy.restore();
    const both = sorted(ana.participantId, bruno.participantId);
    await facA.next('roster:update', (r) => onlineIds(r).join() === both.join(), since, 15_000);
    await facCut.next('roster:update', (r) => onlineIds(r).join() === both.join(), sinceCut, 15_000);
  });

  it('a burst of 20 arrivals on B reaches A in a few coalesced messages, the last listing everyone', async () => {
    const { nodes, schema } = await startCluster(pg!, redis!, 2);
    const [a, b] = [nodes[0]!, nodes[1]!];
    const w = await setupWorkshop(a.url);
    const early = await connectSocket(a.url, w.facilitatorToken);
    // Opens B's session first, so the burst is all that B publishes afterwards.
    await connectSocket(b.url, w.facilitatorToken);
    await early.next('presence:update', (p) => p.some((e) => e.role === 'facilitator' && e.connections === 2), 0, 10_000);

    const published: string[] = [];
    const listener = new Redis(redis!);
    onTestFinished(() => void listener.disconnect());
    await listener.subscribe(`relatoria:${schema}:presence:${w.workshop.id}`);
    listener.on('message', (_channel: string, message: string) => published.push(message));
    const since = early.events.length;

    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => w.participant(i % 2 === 0 ? 'A' : 'B', `Persona ${i}`)));
    await Promise.all(tokens.map((token) => connectSocket(b.url, token)));
    const [presence] = await early.next('presence:update', (p) => presentIds(p).length === 20, since, 15_000);
    expect(presence.map((p) => p.name)).toContain('Persona 19');
    const fromB = published.filter((m) => m.includes(b.cluster.presence.member));
    expect(fromB.length).toBeGreaterThan(0);
    expect(fromB.length).toBeLessThanOrEqual(5);
    expect(early.all('presence:update').slice(since).length).toBeLessThanOrEqual(6);
  });
});

/** The members with an entry in the workshop's presence hash. */
async function presenceFields(prefix: string, workshopId: string): Promise<string[]> {
  const client = new Redis(redis!);
  try {
    return await client.hkeys(`${prefix}presence:${workshopId}`);
  } finally {
    client.disconnect();
  }
}
