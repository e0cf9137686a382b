// A session's presence in cluster mode: its own sockets and the people other nodes have
// online (server/cluster/cluster-presence.ts hands them over), one entry per person.
import { describe, expect, it } from 'vitest';
import type { Participant } from '../../shared/model.js';
import type { PresenceEntry } from '../../shared/protocol.js';
import { initialSession } from '../../shared/session.js';
import type { Principal } from '../../server/auth/principal.js';
import { SESSION_RECORD_VERSION } from '../../server/facilitation/session-record.js';
import { WorkshopSession, type SessionRecord } from '../../server/facilitation/workshop-session.js';

const participant = (id: string, groupId: string): Participant => ({ id, workshopId: 'w', groupId, name: `name of ${id}`, joinedAt: 1, removedAt: null });
const principal = (participantId: string | null, role: Principal['role'] = 'participant', groupId: string | null = 'g1'): Principal =>
  ({ role, workshopId: 'w', groupId, participantId, name: participantId ?? role });
const entry = (participantId: string | null, role: PresenceEntry['role'], groupId: string | null, connections = 1, name = participantId ?? role): PresenceEntry =>
  ({ participantId, name, role, groupId, connections });

function session(): WorkshopSession {
  const record: SessionRecord = { version: SESSION_RECORD_VERSION, state: initialSession([]), ballots: {}, done: [], heldCards: [], announcements: [] };
  return new WorkshopSession('w', 'CODE', ['g1', 'g2'], record, [participant('ana', 'g1'), participant('beto', 'g2')]);
}

describe('presence on every node', () => {
  it('without other nodes: only its own sockets, as on a single node', () => {
    const s = session();
    s.connected(principal('ana'));
    s.connected(principal('ana'));
    expect(s.presence()).toEqual([entry('ana', 'participant', 'g1', 2, 'name of ana')]);
    expect(s.onlineCount).toBe(1);
    expect(s.localOnlineCount).toBe(1);
    expect(s.roster().map((r) => [r.participantId, r.online])).toEqual([['ana', true], ['beto', false]]);
  });

  it('with other nodes: one entry per person, connections summed; roster, counts and the facilitator across nodes', () => {
    const s = session();
    s.connected(principal('ana'));
    s.connected(principal(null, 'facilitator', null));
    s.setElsewhere(new Map([
      ['ana', entry('ana', 'participant', 'g1', 2)],
      ['beto', entry('beto', 'participant', 'g2')],
      ['carla', entry('carla', 'participant', 'g2', 1, 'Carla')],
    ]));
    const byKey = new Map(s.presence().map((e) => [e.participantId ?? e.role, e]));
    expect(byKey.get('ana')).toMatchObject({ connections: 3, name: 'name of ana' });
    expect(byKey.get('beto')).toMatchObject({ connections: 1, groupId: 'g2' });
    expect(byKey.get('carla')).toMatchObject({ name: 'Carla', groupId: 'g2' }); // not heard of here: as the other node said
    expect(byKey.get('facilitator')).toMatchObject({ connections: 1 });
    expect(s.onlineCount).toBe(4);
    expect(s.localOnlineCount).toBe(2);
    expect(s.onlineByGroup()).toEqual(new Map([['g1', 1], ['g2', 2]]));
    expect(s.roster().map((r) => [r.participantId, r.online])).toEqual([['ana', true], ['beto', true]]);
    expect(s.unknownElsewhere()).toEqual(['carla']);
    expect(s.localPresence()).toHaveLength(2); // what this node publishes: its own only

    s.disconnected(principal(null, 'facilitator', null));
    expect(s.facilitatorOnline()).toBe(false);
    s.setElsewhere(new Map([['facilitator', entry(null, 'facilitator', null)]]));
    expect(s.facilitatorOnline()).toBe(true);
    expect(s.roster().map((r) => [r.participantId, r.online])).toEqual([['ana', true], ['beto', false]]);
  });
});
