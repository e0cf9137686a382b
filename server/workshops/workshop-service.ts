// Creating workshops and joining them: the rules, independent of HTTP.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import * as Y from 'yjs';
import { initBoard } from '../../shared/board.js';
import { boardDocName } from '../../shared/doc-name.js';
import type { CreateWorkshopResponse, Group, JoinResponse, Language, Participant, PublicWorkshop, Workshop } from '../../shared/model.js';
import type { Store } from '../store/store.js';
import type { TokenSigner } from '../auth/tokens.js';
import type { Template } from '../../shared/templates.js';
import { HttpError, forbidden, notFound, badRequest } from '../http/http-error.js';
import { PARTICIPANT_LINK_DAYS } from '../auth/links.js';

const JOIN_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I: read aloud in a room

export const newId = (bytes = 9) => randomBytes(bytes).toString('base64url');

export function newJoinCode(length = 6): string {
  let code = '';
  for (let i = 0; i < length; i++) code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  return code;
}

/** What is stored of a browser's device key: hashed, and per workshop, so no two workshops' rows can be linked. */
export const deviceHash = (workshopId: string, device: string) => createHash('sha256').update(`${workshopId}:${device}`).digest('base64url');

/** Join codes are typed by people: case, spaces and dashes do not matter. */
export const normalizeJoinCode = (code: string) => code.toUpperCase().replace(/[\s-]/g, '');

export interface CreateWorkshopInput {
  title?: string | undefined;
  place?: string | undefined;
  language?: Language | undefined;
  groups?: Array<{ name: string; question?: string | undefined; sections?: string[] | undefined }> | undefined;
  /** When the workshop took place: kept from an archive, now otherwise. */
  createdAt?: number | undefined;
}

/** The facilitator closed joining: the join page says so (423, `join_closed`). */
const joinClosed = () => new HttpError(423, 'join_closed', 'The facilitator has closed joining for this workshop');

/** Told once a workshop exists, with the agenda it starts with (null: the default). */
export type OnWorkshopCreated = (workshop: Workshop, agenda: Template['agenda'] | null) => Promise<void>;

export interface WorkshopEvents {
  joined(p: Participant): void;
  created: OnWorkshopCreated;
  /** The facilitator rotated the join code (the old one is refused from now on). */
  joinCodeChanged?(workshopId: string, code: string): void;
}

export class WorkshopService {
  readonly #store: Store;
  readonly #signer: TokenSigner;

  readonly #events: WorkshopEvents;

  constructor(store: Store, signer: TokenSigner, events: WorkshopEvents) {
    this.#store = store;
    this.#signer = signer;
    this.#events = events;
  }

  /** A new workshop from the input, filled in from `template` where the input is silent. */
  async create(input: CreateWorkshopInput, template: Template | null = null): Promise<CreateWorkshopResponse> {
    const title = input.title || template?.title;
    if (!title) throw badRequest('title: a workshop needs a title');
    const sourceGroups = input.groups ?? template?.groups ?? [];
    if (sourceGroups.length === 0) throw badRequest('groups: a workshop needs at least one group');
    const workshop: Workshop = {
      id: newId(),
      title,
      place: input.place ?? '',
      language: input.language ?? template?.language ?? 'es',
      joinCode: await this.#freeJoinCode(),
      createdAt: input.createdAt ?? Date.now(),
    };
    const groups = sourceGroups.map((g, position) => ({ id: newId(6), name: g.name, question: g.question ?? '', position, sections: g.sections }));
    await this.#store.createWorkshop(workshop, groups.map(({ sections: _s, ...g }): Group => g));
    await this.#events.created(workshop, template?.agenda.length ? template.agenda : null);
    for (const group of groups) {
      const doc = new Y.Doc();
      initBoard(doc, { title: group.name, question: group.question, language: workshop.language, sections: group.sections });
      await this.#store.appendUpdate(boardDocName({ workshopId: workshop.id, groupId: group.id }), Y.encodeStateAsUpdate(doc));
      doc.destroy();
    }
    return {
      id: workshop.id,
      joinCode: workshop.joinCode,
      facilitatorToken: await this.#signer.sign({ workshopId: workshop.id, role: 'facilitator' }),
      groups: groups.map(({ id, name }) => ({ id, name })),
    };
  }

  async #freeJoinCode(): Promise<string> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const code = newJoinCode();
      if (!(await this.#store.findWorkshopByJoinCode(code))) return code;
    }
    throw new Error('no free join code after 20 attempts');
  }

  async publicView(workshop: Workshop): Promise<PublicWorkshop> {
    const groups = await this.#store.listGroups(workshop.id);
    return {
      id: workshop.id,
      title: workshop.title,
      place: workshop.place,
      language: workshop.language,
      groups: groups.map(({ id, name, question }) => ({ id, name, question })),
    };
  }

  async findByJoinCode(code: string): Promise<PublicWorkshop> {
    const workshop = await this.#store.findWorkshopByJoinCode(normalizeJoinCode(code));
    if (!workshop) throw notFound('No workshop has this join code');
    if (workshop.joinClosed) throw joinClosed();
    return this.publicView(workshop);
  }

  /** A new join code for the workshop: the old one stops working at once (people already in stay in). */
  async rotateJoinCode(workshopId: string): Promise<string> {
    const code = await this.#freeJoinCode();
    await this.#store.setJoinCode(workshopId, code);
    this.#events.joinCodeChanged?.(workshopId, code);
    return code;
  }

  /** Closes joining (the code is refused with 423 `join_closed`) or opens it again. */
  async setJoinClosed(workshopId: string, closed: boolean): Promise<void> {
    await this.#store.setJoinClosed(workshopId, closed);
  }

  async join(workshopId: string, input: { code: string; name: string; groupId: string; device?: string | undefined }): Promise<JoinResponse> {
    const workshop = await this.#store.getWorkshop(workshopId);
    if (!workshop) throw notFound('No such workshop');
    if (normalizeJoinCode(input.code) !== workshop.joinCode) throw forbidden('Wrong join code');
    if (workshop.joinClosed) throw joinClosed();
    const groups = await this.#store.listGroups(workshop.id);
    if (!groups.some((g) => g.id === input.groupId)) throw badRequest('No such group in this workshop');
    // Removal holds for the browser it was made on, whatever name it gives next (see README: removing someone).
    const device = input.device ? deviceHash(workshop.id, input.device) : null;
    if (device && (await this.#store.deviceRemoved(workshop.id, device))) {
      throw new HttpError(403, 'removed', 'The facilitator removed this browser from the workshop');
    }
    const participant: Participant = { id: newId(), workshopId: workshop.id, groupId: input.groupId, name: input.name, joinedAt: Date.now(), removedAt: null };
    await this.#store.addParticipant(participant, device);
    this.#events.joined(participant);
    const token = await this.#signer.sign({ workshopId: workshop.id, role: 'participant', participantId: participant.id }, PARTICIPANT_LINK_DAYS * 24 * 3600);
    return { participantId: participant.id, token, groupId: participant.groupId, name: participant.name };
  }
}
