// Joining a workshop by its code: look the workshop up, pick a group and a name,
// keep the identity the server gives, and go to the group's board.
import { LIMITS, type PublicWorkshop } from '../../shared/model.js';
import { displayNameProblem, normalizeDisplayName, type NameProblem } from '../../shared/display-name.js';
import type { Api } from './api.js';
import type { ShownError } from './errors.js';
import { joinError, lookupError } from './join-errors.js';
import type { MessageKey } from './i18n/es.js';
import { paths } from './routes.js';
import type { ParticipantIdentity, SessionStore } from './session.js';

export interface JoinFlowDeps {
  api: Api;
  session: SessionStore;
  navigate(to: string): void;
}

/** The shared name rule's verdicts, as the join page says them. */
const NAME_PROBLEMS: Record<NameProblem, MessageKey> = {
  empty: 'join.needName',
  too_long: 'join.nameTooLong',
  control: 'join.nameFormat',
  format: 'join.nameFormat',
  invisible: 'join.nameInvisible',
};

export class JoinFlow {
  readonly code: string;
  name = $state('');
  groupId = $state('');
  #workshop = $state<PublicWorkshop | null>(null);
  #loadError = $state<ShownError | null>(null);
  #submitError = $state<ShownError | null>(null);
  #problem = $state<MessageKey | null>(null);
  #submitting = $state(false);
  readonly #deps: JoinFlowDeps;

  constructor(code: string, deps: JoinFlowDeps) {
    this.code = code;
    this.#deps = deps;
  }

  async load(): Promise<void> {
    try {
      const workshop = await this.#deps.api.findByJoinCode(this.code);
      this.#workshop = workshop;
      const kept = this.#deps.session.participant(workshop.id);
      if (kept) this.name = kept.name;
      if (workshop.groups.length === 1) this.groupId = workshop.groups[0]?.id ?? '';
    } catch (err) {
      this.#loadError = lookupError(err);
    }
  }

  get workshop(): PublicWorkshop | null {
    return this.#workshop;
  }

  get loading(): boolean {
    return this.#workshop === null && this.#loadError === null;
  }

  get loadError(): ShownError | null {
    return this.#loadError;
  }

  get submitError(): ShownError | null {
    return this.#submitError;
  }

  get problem(): MessageKey | null {
    return this.#problem;
  }

  get submitting(): boolean {
    return this.#submitting;
  }

  readonly maxNameLength = LIMITS.displayNameLength;

  /** The identity this browser already has in this workshop, if any. */
  get kept(): (ParticipantIdentity & { groupName: string }) | null {
    const workshop = this.#workshop;
    const kept = workshop ? this.#deps.session.participant(workshop.id) : null;
    if (!workshop || !kept) return null;
    const group = workshop.groups.find((g) => g.id === kept.groupId);
    return group ? { ...kept, groupName: group.name } : null;
  }

  continueAsKept(): void {
    const workshop = this.#workshop;
    const kept = this.kept;
    if (workshop && kept) this.#deps.navigate(paths.board(workshop.id, kept.groupId));
  }

  async submit(): Promise<void> {
    const workshop = this.#workshop;
    if (!workshop || this.#submitting) return;
    this.#problem = null;
    this.#submitError = null;
    if (this.groupId === '') return void (this.#problem = 'join.needGroup');
    const nameProblem = displayNameProblem(normalizeDisplayName(this.name));
    if (nameProblem) return void (this.#problem = NAME_PROBLEMS[nameProblem]);
    this.#submitting = true;
    try {
      const joined = await this.#deps.api.join(workshop.id, {
        code: this.code, name: this.name, groupId: this.groupId, device: this.#deps.session.deviceKey(),
      });
      this.#deps.session.setParticipant(workshop.id, {
        token: joined.token, participantId: joined.participantId, name: joined.name, groupId: joined.groupId,
      });
      this.#deps.navigate(paths.board(workshop.id, joined.groupId));
    } catch (err) {
      this.#submitError = joinError(err);
    } finally {
      this.#submitting = false;
    }
  }
}
