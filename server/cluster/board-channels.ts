// The Redis channels of the boards this node holds, one per board and kind
// (`<prefix>board:<name>` for updates, `<prefix>awareness:<name>` for presence): what the
// board relay and board presence share of joining, leaving and routing a message to its board.
import type { RedisLink } from './redis-link.js';

/** A board's load waits at most this long for Redis to confirm its subscription (then goes on; a reconnection subscribes again). */
const SUBSCRIBE_WAIT_MS = 2_000;

export class BoardChannels<M extends { readonly name: string }> {
  readonly #link: RedisLink;
  /** Every channel of this kind starts with it (computed once: it is matched on every message). */
  readonly #prefix: string;
  readonly #members = new Map<string, M>();

  constructor(link: RedisLink, kind: string) {
    this.#link = link;
    this.#prefix = `${link.prefix}${kind}:`;
  }

  /** The board's channel of this kind (where its messages are published). */
  channel(name: string): string {
    return this.#prefix + name;
  }

  /** Holds the member (replacing an older copy of its board) and subscribes; rejects when Redis did not confirm in time (the channel is kept and subscribed again when Redis is back). */
  async join(member: M): Promise<void> {
    this.#members.set(member.name, member);
    await this.#link.subscribeWithin(this.channel(member.name), SUBSCRIBE_WAIT_MS);
  }

  /** Lets the member go and unsubscribes; false when a newer copy of the board took the channel over (it stays). */
  leave(member: M): boolean {
    if (this.#members.get(member.name) !== member) return false;
    this.#members.delete(member.name);
    this.#link.unsubscribe(this.channel(member.name)).catch(() => undefined);
    return true;
  }

  /** The member a message on `channel` is for; undefined for another kind's channel or a board not held here. */
  memberOf(channel: string): M | undefined {
    return channel.startsWith(this.#prefix) ? this.#members.get(channel.slice(this.#prefix.length)) : undefined;
  }

  members(): IterableIterator<M> {
    return this.#members.values();
  }
}
