// The optional beep when a phase runs out of time: off by default, the choice kept
// in localStorage, three short tones through WebAudio (no sound file to load).
const STORAGE_KEY = 'relatoria:timer-sound';

export class TimerSound {
  #enabled = $state(false);
  readonly #storage: Storage | null;
  #audio: AudioContext | null = null;
  #lastUp: boolean | null = null;

  constructor(storage: Storage | null) {
    this.#storage = storage;
    this.#enabled = storage?.getItem(STORAGE_KEY) === 'on';
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  /** Called from a click: the browser lets audio start only after a gesture. */
  toggle(): void {
    this.#enabled = !this.#enabled;
    this.#storage?.setItem(STORAGE_KEY, this.#enabled ? 'on' : 'off');
    if (this.#enabled) void this.#context()?.resume();
  }

  /** Tells whether time is up now; beeps when it just became so (not for a page opened after it). */
  observe(up: boolean): void {
    if (this.#lastUp === false && up && this.#enabled) this.beep();
    this.#lastUp = up;
  }

  #context(): AudioContext | null {
    if (this.#audio) return this.#audio;
    const Ctor = typeof window === 'undefined' ? undefined : window.AudioContext;
    this.#audio = Ctor ? new Ctor() : null;
    return this.#audio;
  }

  beep(): void {
    const ctx = this.#context();
    if (!ctx) return;
    void ctx.resume();
    const start = ctx.currentTime + 0.05;
    for (let i = 0; i < 3; i++) {
      const t = start + i * 0.3;
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.3, t + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.22);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t);
      osc.stop(t + 0.25);
    }
  }

  destroy(): void {
    void this.#audio?.close();
    this.#audio = null;
  }
}
