// The export page: whose token (a facilitator's, or an organizer's from `#k=`), which
// groups and whether the annex, a live preview of the HTML export, and downloads.
import type { Role } from '../../../shared/model.js';
import type { Api, WorkshopView } from '../api.js';
import { describeError, type ShownError } from '../errors.js';
import { paths } from '../routes.js';
import type { SessionStore } from '../session.js';
import type { DocumentsApi, ExportedFile } from './documents-api.js';
import { chosenGroups, type ExportFormat, type ExportQuery, type SynthesisChoice } from './export-query.js';

/** How often the preview follows what the groups write, while the page is visible. */
export const PREVIEW_REFRESH_MS = 15_000;

export interface ExportPageDeps {
  api: Api;
  documents: DocumentsApi;
  session: SessionStore;
  save(file: ExportedFile): void;
  now?: () => number;
}

export class ExportPageModel {
  readonly workshopId: string;
  readonly token: string | null;
  readonly #fromFragment: boolean;
  readonly #deps: ExportPageDeps;
  #role = $state<Role | null>(null);
  #workshop = $state<WorkshopView | null>(null);
  #error = $state<ShownError | null>(null);
  #chosen = $state<ReadonlySet<string>>(new Set());
  #annex = $state(false);
  #synthesis = $state<SynthesisChoice>('with');
  #preview = $state<string | null>(null);
  #previewError = $state<ShownError | null>(null);
  #previewLoading = $state(false);
  #updatedAt = $state<number | null>(null);
  #downloading = $state<ReadonlySet<ExportFormat>>(new Set());
  #downloadError = $state<ShownError | null>(null);
  #downloaded = $state<string | null>(null);
  #seq = 0;

  /** `fragmentToken` is `k` from `#k=…` (an organizer link, or the facilitator's). */
  constructor(workshopId: string, fragmentToken: string | null, deps: ExportPageDeps) {
    this.workshopId = workshopId;
    this.#deps = deps;
    this.#fromFragment = fragmentToken !== null;
    const facilitator = deps.session.facilitatorToken(workshopId);
    this.token = fragmentToken ?? facilitator ?? deps.session.organizerToken(workshopId);
    if (!fragmentToken && facilitator) this.#role = 'facilitator';
    else if (!fragmentToken && this.token) this.#role = 'organizer';
  }

  async load(): Promise<void> {
    const token = this.token;
    if (!token) return;
    try {
      if (this.#fromFragment) {
        const me = await this.#deps.api.me(token);
        if (me.workshopId !== this.workshopId) throw new Error('This link is for another workshop');
        this.#role = me.role;
        if (me.role === 'facilitator') this.#deps.session.setFacilitatorToken(this.workshopId, token);
        if (me.role === 'organizer') this.#deps.session.setOrganizerToken(this.workshopId, token);
      }
      const workshop = await this.#deps.api.getWorkshop(this.workshopId, token);
      this.#chosen = new Set(workshop.groups.map((g) => g.id));
      this.#workshop = workshop;
    } catch (err) {
      this.#error = describeError(err);
      return;
    }
    await this.refresh();
  }

  /** Keeps the preview current while the page is open and visible; returns the cleanup. */
  start(): () => void {
    const visible = () => typeof document === 'undefined' || document.visibilityState === 'visible';
    const timer = setInterval(() => visible() && !this.#previewLoading && void this.refresh(), PREVIEW_REFRESH_MS);
    const onVisible = () => visible() && void this.refresh();
    if (typeof document !== 'undefined') document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', onVisible);
    };
  }

  get workshop(): WorkshopView | null {
    return this.#workshop;
  }

  get error(): ShownError | null {
    return this.#error;
  }

  get isFacilitator(): boolean {
    return this.#role === 'facilitator';
  }

  get consolePath(): string {
    return paths.facilitate(this.workshopId);
  }

  // ---- the choice ----------------------------------------------------------------

  isChosen(groupId: string): boolean {
    return this.#chosen.has(groupId);
  }

  get chosenCount(): number {
    return this.#chosen.size;
  }

  setChosen(groupId: string, chosen: boolean): void {
    const next = new Set(this.#chosen);
    if (chosen) next.add(groupId);
    else next.delete(groupId);
    this.#choose(next);
  }

  chooseAll(): void {
    this.#choose(new Set(this.#workshop?.groups.map((g) => g.id) ?? []));
  }

  chooseNone(): void {
    this.#choose(new Set());
  }

  #choose(next: ReadonlySet<string>): void {
    this.#chosen = next;
    void this.refresh();
  }

  get annex(): boolean {
    return this.#annex;
  }

  set annex(value: boolean) {
    this.#annex = value;
    void this.refresh();
  }

  /** The synthesis with the groups, alone, or left out. */
  get synthesis(): SynthesisChoice {
    return this.#synthesis;
  }

  set synthesis(value: SynthesisChoice) {
    this.#synthesis = value;
    void this.refresh();
  }

  /** What to ask the server for; null while no group is chosen (the synthesis alone needs none). */
  get query(): ExportQuery | null {
    const all = this.#workshop?.groups.map((g) => g.id) ?? [];
    const groups = chosenGroups(all, this.#chosen);
    if (groups !== null && groups.length === 0 && this.#synthesis !== 'only') return null;
    return { groups: this.#synthesis === 'only' ? null : groups, annex: this.#annex, synthesis: this.#synthesis };
  }

  // ---- preview -------------------------------------------------------------------

  /** The HTML export of the current choice; replaced only when it changed. */
  get preview(): string | null {
    return this.#preview;
  }

  get previewLoading(): boolean {
    return this.#previewLoading;
  }

  get previewError(): ShownError | null {
    return this.#previewError;
  }

  get updatedAt(): number | null {
    return this.#updatedAt;
  }

  async refresh(): Promise<void> {
    const { token, query } = this;
    if (!token || !this.#workshop) return;
    const seq = ++this.#seq;
    if (!query) {
      this.#preview = null;
      this.#previewLoading = false;
      return;
    }
    this.#previewLoading = true;
    try {
      const html = await this.#deps.documents.exportHtml(this.workshopId, token, query);
      if (seq !== this.#seq) return; // a newer choice was asked for meanwhile
      if (html !== this.#preview) this.#preview = html;
      this.#previewError = null;
      this.#updatedAt = (this.#deps.now ?? Date.now)();
    } catch (err) {
      if (seq === this.#seq) this.#previewError = describeError(err);
    } finally {
      if (seq === this.#seq) this.#previewLoading = false;
    }
  }

  // ---- downloads -----------------------------------------------------------------

  isDownloading(format: ExportFormat): boolean {
    return this.#downloading.has(format);
  }

  get downloadError(): ShownError | null {
    return this.#downloadError;
  }

  /** The file name of the last finished download. */
  get downloaded(): string | null {
    return this.#downloaded;
  }

  async download(format: ExportFormat): Promise<void> {
    const { token, query } = this;
    if (!token || !query || this.#downloading.has(format)) return;
    this.#downloading = new Set([...this.#downloading, format]);
    this.#downloadError = null;
    try {
      const file = await this.#deps.documents.exportFile(this.workshopId, token, format, query);
      this.#deps.save(file);
      this.#downloaded = file.fileName;
    } catch (err) {
      this.#downloadError = describeError(err);
    } finally {
      this.#downloading = new Set([...this.#downloading].filter((f) => f !== format));
    }
  }
}
