// The "create a workshop" form: its fields, group rows, validation and submission.
import { LIMITS, type Language } from '../../shared/model.js';
import type { Template } from '../../shared/templates.js';
import type { Api } from './api.js';
import { fillFrom } from './documents/template-choice.js';
import { describeError, type ShownError } from './errors.js';
import type { MessageKey } from './i18n/es.js';
import { paths } from './routes.js';
import type { SessionStore } from './session.js';

export interface GroupRow {
  key: number;
  name: string;
  question: string;
  /** The section headings a template gives this group's board. */
  sections?: string[];
}

export interface CreateWorkshopDeps {
  api: Api;
  session: SessionStore;
  navigate(to: string): void;
}

export class CreateWorkshopForm {
  title = $state('');
  language = $state<Language>('es');
  groups = $state<GroupRow[]>([]);
  #template = $state<Template | null>(null);
  #nextKey = 0;
  #submitting = $state(false);
  #problem = $state<MessageKey | null>(null);
  #error = $state<ShownError | null>(null);
  readonly #deps: CreateWorkshopDeps;

  constructor(deps: CreateWorkshopDeps, language: Language) {
    this.#deps = deps;
    this.language = language;
    this.addGroup();
    this.addGroup();
  }

  get submitting(): boolean {
    return this.#submitting;
  }

  /** A problem found before sending anything. */
  get problem(): MessageKey | null {
    return this.#problem;
  }

  /** What the server answered, when it refused. */
  get error(): ShownError | null {
    return this.#error;
  }

  get canAddGroup(): boolean {
    return this.groups.length < LIMITS.maxGroups;
  }

  addGroup(): void {
    if (this.canAddGroup) this.groups.push({ key: this.#nextKey++, name: '', question: '' });
  }

  removeGroup(key: number): void {
    this.groups = this.groups.filter((g) => g.key !== key);
  }

  /** The template the workshop starts from (its agenda and section headings come along); null for a blank start. */
  get template(): Template | null {
    return this.#template;
  }

  /** Fills title, language and groups from a template, or empties them for a blank start. */
  applyTemplate(template: Template | null): void {
    this.#template = template;
    this.#problem = null;
    if (!template) {
      this.title = '';
      this.groups = [];
      this.addGroup();
      this.addGroup();
      return;
    }
    const fill = fillFrom(template);
    this.title = fill.title;
    this.language = fill.language;
    this.groups = fill.groups.map((g) => ({ key: this.#nextKey++, ...g }));
  }

  async submit(): Promise<void> {
    if (this.#submitting) return;
    this.#problem = null;
    this.#error = null;
    const groups = this.groups
      .map((g) => ({ name: g.name.trim(), question: g.question.trim(), ...(g.sections ? { sections: g.sections } : {}) }))
      .filter((g) => g.name !== '' || g.question !== '');
    if (this.title.trim() === '') return void (this.#problem = 'home.create.needTitle');
    if (groups.length === 0 || groups.some((g) => g.name === '')) return void (this.#problem = 'home.create.needGroup');
    this.#submitting = true;
    try {
      const template = this.#template ? { template: this.#template.id } : {};
      const created = await this.#deps.api.createWorkshop({ title: this.title.trim(), language: this.language, groups, ...template });
      this.#deps.session.setFacilitatorToken(created.id, created.facilitatorToken);
      this.#deps.navigate(`${paths.facilitate(created.id)}#k=${encodeURIComponent(created.facilitatorToken)}`);
    } catch (err) {
      this.#error = describeError(err);
    } finally {
      this.#submitting = false;
    }
  }
}
