// What goes across nodes fails all together while Redis is away, at every beat, cursor
// move or publish: logged once per outage, and once when Redis answers again.
import type { Logger } from '../lib/logger.js';

export class OutageLog {
  readonly #log: Logger;
  /** What fails, as the log names it (`presence across nodes`). */
  readonly #subject: string;
  /** What happens to what failed (`retried when Redis answers`). */
  readonly #then: string;
  #failing = false;

  constructor(log: Logger, subject: string, then: string) {
    this.#log = log;
    this.#subject = subject;
    this.#then = then;
  }

  failed(what: string, err: unknown): void {
    if (!this.#failing) this.#log.warn(`${this.#subject}: ${what} failed; ${this.#then}`, { err });
    this.#failing = true;
  }

  recovered(): void {
    if (this.#failing) this.#log.info(`${this.#subject}: Redis answers again`);
    this.#failing = false;
  }
}
