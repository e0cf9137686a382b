// The facilitator's live console: the session as the server tells it, and every
// command the console sends (a refusal shows its reason in a toast). The forms'
// state (agenda draft, voting round, announcement) lives here too.
import type { Group } from '../../../shared/model.js';
import type { Command, GroupActivity, RosterEntry } from '../../../shared/protocol.js';
import { SESSION_LIMITS, type ResultsVisibility, type SessionState } from '../../../shared/session.js';
import type { MessageKey } from '../i18n/es.js';
import { paths } from '../routes.js';
import { isStalled } from './activity-view.js';
import { AgendaDraft } from './agenda-draft.svelte.js';
import { BoardReaderPool } from './board-reader.svelte.js';
import { refusal } from './command-errors.js';
import { SessionClient, type SessionClientOptions } from './session-client.svelte.js';
import { timerView, type TimerView } from './timer-view.js';
import { Toasts } from './toasts.svelte.js';

export type LinkRole = 'facilitator' | 'projector' | 'rapporteur';
type GroupInfo = Pick<Group, 'id' | 'name'>;

export interface SessionConsoleDeps {
  workshopId: string;
  token: string;
  origin: string;
  /** `ws(s)://host/yjs`, to read the boards' card texts. */
  serverUrl: string;
  groups: () => GroupInfo[];
  joinCode: () => string | null;
  open?: SessionClientOptions['open'];
}

export interface GroupRow {
  group: GroupInfo;
  locked: boolean;
  spotlit: boolean;
  activity: GroupActivity | null;
  /** Participants of the group online now (from presence, which is live; activity comes every few seconds). */
  online: number;
  held: number;
  stalled: boolean;
}

export class SessionConsole {
  readonly client: SessionClient;
  readonly toasts = new Toasts();
  readonly agenda: AgendaDraft;
  readonly readers: BoardReaderPool;
  readonly #deps: SessionConsoleDeps;
  #links = $state<Partial<Record<LinkRole, string>>>({});

  /** The next voting round's settings; `groupIds` null means every group. */
  round = $state<{ groupIds: string[] | null; budget: number; maxPerCard: number; results: ResultsVisibility }>({
    groupIds: null, budget: 3, maxPerCard: 2, results: 'live',
  });
  announcement = $state<{ text: string; groupId: string | null }>({ text: '', groupId: null });

  constructor(deps: SessionConsoleDeps) {
    this.#deps = deps;
    this.client = new SessionClient({ token: deps.token, ...(deps.open ? { open: deps.open } : {}) });
    this.agenda = new AgendaDraft(() => this.session?.agenda ?? []);
    this.readers = new BoardReaderPool({ serverUrl: deps.serverUrl, workshopId: deps.workshopId, token: deps.token });
  }

  get session(): SessionState | null {
    return this.client.live?.snapshot.session ?? null;
  }

  get timer(): TimerView | null {
    const s = this.session;
    return s ? timerView(s, this.client.serverNow) : null;
  }

  /** Sends a command; a refusal becomes a toast. Resolves with whether it was done. */
  async run(command: Command, done?: MessageKey): Promise<boolean> {
    const outcome = await this.client.send(command);
    if (!outcome.ok) {
      const { title, detail } = refusal(outcome);
      this.toasts.show('error', title, detail);
      return false;
    }
    if (done) this.toasts.show('info', done);
    if (command.type === 'link:create' && outcome.link && (command.role === 'facilitator' || command.role === 'projector')) {
      const code = command.role === 'projector' ? this.#deps.joinCode() : null;
      this.#links[command.role] = `${this.#deps.origin}${outcome.link}${code ? `&c=${encodeURIComponent(code)}` : ''}`;
    }
    return true;
  }

  // ---- agenda and timer ---------------------------------------------------------

  async saveAgenda(): Promise<void> {
    if (!this.agenda.valid) return;
    if (await this.run(this.agenda.command(), 'session.agenda.saved')) this.agenda.discard();
  }

  start = (index: number) => this.run({ type: 'phase:start', index });
  next = () => this.run({ type: 'phase:next' });
  pause = () => this.run({ type: 'timer:pause' });
  resume = () => this.run({ type: 'timer:resume' });
  addTime = (seconds: number) => this.run({ type: 'timer:add', seconds });
  setAutoLock = (enabled: boolean) => this.run({ type: 'autolock:set', enabled });

  // ---- groups -------------------------------------------------------------------

  get groupRows(): GroupRow[] {
    const s = this.session;
    const live = this.client.live;
    const now = this.client.slowNow;
    const presence = live?.snapshot.presence ?? [];
    const timer = s?.timer;
    const phaseStartedAt = timer?.status === 'running' ? timer.endsAt - timer.durationMs : null;
    return this.#deps.groups().map((group) => {
      const activity = live?.activity.find((a) => a.groupId === group.id) ?? null;
      const online = presence.filter((p) => p.role === 'participant' && p.groupId === group.id).length;
      return {
        group,
        locked: s?.lockedGroups.includes(group.id) ?? false,
        spotlit: s?.spotlight.groupId === group.id,
        activity,
        online,
        held: live?.heldCounts[group.id] ?? 0,
        stalled: phaseStartedAt !== null && isStalled({ online, lastActivityAt: activity?.lastActivityAt ?? null }, now, phaseStartedAt),
      };
    });
  }

  get allLocked(): boolean {
    const s = this.session;
    const groups = this.#deps.groups();
    return s !== null && groups.length > 0 && groups.every((g) => s.lockedGroups.includes(g.id));
  }

  groupName(groupId: string | null): string {
    return this.#deps.groups().find((g) => g.id === groupId)?.name ?? '';
  }

  boardPath(groupId: string): string {
    return `${paths.board(this.#deps.workshopId, groupId)}?as=facilitator`;
  }

  setLock = (groupId: string | 'all', locked: boolean) => this.run({ type: 'lock:set', groupId, locked });
  spotlight = (groupId: string | null) => this.run({ type: 'spotlight:set', groupId });
  setFollow = (follow: boolean) => this.run({ type: 'follow:set', follow });

  // ---- private writing ------------------------------------------------------------

  get heldTotal(): number {
    let n = 0;
    for (const c of Object.values(this.client.live?.heldCounts ?? {})) n += c;
    return n;
  }

  setPrivate = (enabled: boolean) => this.run({ type: 'private:set', enabled });
  setAnonymous = (enabled: boolean) => this.run({ type: 'anonymous:set', enabled });
  reveal = () => this.run({ type: 'private:reveal' }, 'session.private.revealed');

  // ---- voting ---------------------------------------------------------------------

  /** Groups of the round being set up. */
  get roundGroups(): string[] {
    return this.round.groupIds ?? this.#deps.groups().map((g) => g.id);
  }

  toggleRoundGroup(groupId: string): void {
    const now = this.roundGroups;
    this.round.groupIds = now.includes(groupId) ? now.filter((g) => g !== groupId) : [...now, groupId];
  }

  get roundValid(): boolean {
    const { budget, maxPerCard } = this.round;
    const whole = (n: number) => Number.isInteger(n) && n >= 1 && n <= SESSION_LIMITS.maxBudget;
    return this.roundGroups.length > 0 && whole(budget) && whole(maxPerCard) && maxPerCard <= budget;
  }

  openRound(): Promise<boolean> {
    const { budget, maxPerCard, results } = this.round;
    return this.run({ type: 'vote:open', groupIds: this.roundGroups, budget, maxPerCard, results });
  }

  closeRound = () => this.run({ type: 'vote:close' });

  /** Boards whose card texts the ranking needs. */
  get rankingGroupIds(): string[] {
    return this.session?.round?.groupIds ?? [];
  }

  get rankingRows() {
    return (this.client.ranking ?? []).map((r) => ({
      ...r,
      groupName: this.groupName(r.groupId),
      text: this.readers.cardText(r.groupId, r.cardId) ?? r.text ?? null,
    }));
  }

  // ---- people ---------------------------------------------------------------------

  get rosterByGroup(): Array<{ group: GroupInfo; people: RosterEntry[] }> {
    const roster = this.client.live?.roster ?? [];
    return this.#deps.groups().map((group) => ({
      group,
      people: roster.filter((p) => p.groupId === group.id).sort((a, b) => a.name.localeCompare(b.name)),
    }));
  }

  get rosterCount(): { total: number; online: number } {
    const roster = this.client.live?.roster ?? [];
    return { total: roster.length, online: roster.filter((p) => p.online).length };
  }

  move = (participantId: string, groupId: string) => this.run({ type: 'participant:move', participantId, groupId });
  remove = (participantId: string) => this.run({ type: 'participant:remove', participantId });

  async announce(): Promise<void> {
    const text = this.announcement.text.trim();
    if (text === '') return;
    if (await this.run({ type: 'announce', text, groupId: this.announcement.groupId }, 'session.announce.sent')) this.announcement.text = '';
  }

  get announcements() {
    return [...(this.client.live?.snapshot.announcements ?? [])].reverse();
  }

  // ---- links ----------------------------------------------------------------------

  link(role: LinkRole): string | null {
    return this.#links[role] ?? null;
  }

  createLink = (role: LinkRole) => this.run({ type: 'link:create', role });

  destroy(): void {
    this.readers.destroy();
    this.toasts.destroy();
    this.client.destroy();
  }
}
