// A workshop with real content, set up through the API and the two sockets as people
// would have left it: the fixtures' conclusions imported into two boards, a dozen idea
// cards, a closed dot vote, a phase running. The browser tests open its pages.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { io } from 'socket.io-client';
import type { BrowserContext, Page } from 'playwright-core';
import { addCard, CARD_COLORS } from '../../shared/board.js';
import type { JoinResponse } from '../../shared/model.js';
import { PROTOCOL_VERSION, type Ack, type ClientToServerEvents, type Command, type CommandReply, type ServerToClientEvents } from '../../shared/protocol.js';
import { fixture } from '../support/fixtures.js';
import { roundTrip, syncedClient } from '../helpers/yclient.js';
import { createWorkshop, type Workshop } from './browser-harness.js';

export const ROOM_GROUPS = [
  { name: 'Grupo B: Cambio Sistémico', question: '¿Qué cambios estructurales necesitamos para transformar el sistema?' },
  { name: 'Grupo D: Escalamiento', question: '¿Cómo escalamos las iniciativas que ya funcionan?' },
  { name: 'Grupo E: Financiamiento', question: '¿Con qué recursos sostenemos el trabajo?' },
];

export const CARD_TEXTS = [
  'Financiamiento público-privado sostenible', 'Alianzas con universidades', 'Medir impacto, no actividad',
  'Liderazgo local con enfoque de género', 'Mesas territoriales con actores públicos', 'Fortalecer los espacios existentes',
  'Gremios de productores como aliados', 'Proveedores de servicios locales', 'Incentivos claros para cada actor',
  'Comunicación con el sector público', 'Rentabilidad antes que escala', 'Aprovechar oportunidades no previstas',
];
export const D_CARD = 'Claridad en la lógica de escalamiento';

export interface Room {
  w: Workshop;
  B: string;
  D: string;
  E: string;
  ana: JoinResponse;
  bruno: JoinResponse;
}

/** One command on the facilitation channel, on a socket of its own. */
export async function sendCommand(base: string, token: string, command: Command): Promise<Ack<CommandReply>> {
  const socket = io(base, { path: '/socket.io', auth: { token, protocol: PROTOCOL_VERSION }, transports: ['websocket'], forceNew: true, reconnection: false }) as unknown as
    import('socket.io-client').Socket<ServerToClientEvents, ClientToServerEvents>;
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('workshop:snapshot', () => resolve());
      socket.once('connect_error', reject);
    });
    return await socket.timeout(5000).emitWithAck('command', command);
  } finally {
    socket.disconnect();
  }
}

async function join(base: string, w: Workshop, groupId: string, name: string): Promise<JoinResponse> {
  const res = await fetch(`${base}/api/workshops/${w.id}/join`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: w.joinCode, name, groupId }),
  });
  if (res.status !== 201) throw new Error(`join: ${res.status}`);
  return (await res.json()) as JoinResponse;
}

async function importInto(base: string, w: Workshop, groupId: string, markdown: string): Promise<void> {
  const res = await fetch(`${base}/api/workshops/${w.id}/groups/${groupId}/import?mode=replace`, {
    method: 'POST', headers: { 'content-type': 'text/markdown', authorization: `Bearer ${w.facilitatorToken}` }, body: markdown,
  });
  if (res.status !== 200) throw new Error(`import: ${res.status} ${await res.text()}`);
}

export async function prepareRoom(base: string, title: string): Promise<Room> {
  const w = await createWorkshop(base, ROOM_GROUPS, title);
  const [B, D, E] = w.groups.map((g) => g.id) as [string, string, string];
  await importInto(base, w, B, fixture('grupo-b-cambio-sistemico.md'));
  await importInto(base, w, D, fixture('grupo-d-escalamiento.md'));
  const ana = await join(base, w, B, 'Ana Muñoz');
  const bruno = await join(base, w, D, 'Bruno Díaz');
  const wsUrl = base.replace(/^http/, 'ws');
  const boardB = await syncedClient(wsUrl, { workshopId: w.id, groupId: B }, ana.token);
  const cards = CARD_TEXTS.map((text, i) => addCard(boardB.doc, { text, author: i % 3 === 0 ? 'Carla Peña' : 'Ana Muñoz', color: CARD_COLORS[i % CARD_COLORS.length] }));
  await roundTrip(boardB);
  boardB.destroy();
  const boardD = await syncedClient(wsUrl, { workshopId: w.id, groupId: D }, bruno.token);
  const dCard = addCard(boardD.doc, { text: D_CARD, author: 'Bruno Díaz', color: 'green' });
  await roundTrip(boardD);
  boardD.destroy();

  // A closed vote: Ana's dots on B's cards, Bruno's on B's and D's.
  const f = w.facilitatorToken;
  const must = (reply: Ack<CommandReply>) => {
    if (!reply.ok) throw new Error(`command refused: ${reply.message}`);
  };
  must(await sendCommand(base, f, { type: 'vote:open', groupIds: [B, D], budget: 3, maxPerCard: 2, results: 'on-close' }));
  must(await sendCommand(base, ana.token, { type: 'vote:set', groupId: B, cardId: cards[2]!, dots: 2 }));
  must(await sendCommand(base, ana.token, { type: 'vote:set', groupId: B, cardId: cards[0]!, dots: 1 }));
  must(await sendCommand(base, bruno.token, { type: 'vote:set', groupId: D, cardId: dCard, dots: 2 }));
  must(await sendCommand(base, bruno.token, { type: 'vote:set', groupId: B, cardId: cards[2]!, dots: 1 }));
  must(await sendCommand(base, f, { type: 'vote:close' }));
  // A phase running.
  must(await sendCommand(base, f, { type: 'phase:start', index: 1 }));
  return { w, B, D, E, ana, bruno };
}

/** Opens pages of this context as the participant (its identity kept as the join page keeps it). */
export async function actAs(context: BrowserContext, workshopId: string, who: JoinResponse): Promise<void> {
  const identity = { token: who.token, participantId: who.participantId, name: who.name, groupId: who.groupId };
  await context.addInitScript(([w, id]) => localStorage.setItem(`relatoria:participant:${w}`, id), [workshopId, JSON.stringify(identity)] as const);
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * axe-core's serious and critical findings on the page as it is now (WCAG 2.1 A and AA,
 * and best practices). Injected through the DevTools protocol, so a Content-Security-Policy
 * that forbids inline scripts does not stop it.
 */
export async function axeFindings(page: Page): Promise<AxeFinding[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'], runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact ?? '', help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
}
