// The UI language: chosen from the browser, switchable, remembered. `t` reads the
// current language, so anything rendered with it follows a switch.
import type { Language } from '../../../shared/model.js';
import type { Params } from './catalogue.js';
import { en } from './en.js';
import { es, type Catalogue, type MessageKey } from './es.js';
import { formatMessage, pickLanguage } from './format.js';
import { pt } from './pt.js';

const STORAGE_KEY = 'relatoria:lang';
const CATALOGUES: Record<Language, Catalogue> = { es, en, pt };

export type { MessageKey };

export class I18n {
  #lang = $state<Language>('es');
  readonly #storage: Storage | null;

  constructor(storage: Storage | null, browserLanguages: readonly string[]) {
    this.#storage = storage;
    this.#lang = pickLanguage(storage?.getItem(STORAGE_KEY) ?? null, browserLanguages);
  }

  get lang(): Language {
    return this.#lang;
  }

  set lang(lang: Language) {
    this.#lang = lang;
    this.#storage?.setItem(STORAGE_KEY, lang);
  }

  readonly t = (key: MessageKey, params?: Params): string => formatMessage(CATALOGUES[this.#lang][key], this.#lang, params);

  readonly time = (ms: number): string =>
    new Intl.DateTimeFormat(this.#lang, { hour: '2-digit', minute: '2-digit' }).format(ms);

  readonly date = (ms: number): string =>
    new Intl.DateTimeFormat(this.#lang, { dateStyle: 'long' }).format(ms);

  readonly compare = (a: string, b: string): number => new Intl.Collator(this.#lang, { sensitivity: 'base' }).compare(a, b);
}
