import { performance } from 'node:perf_hooks';
import type { LeaseRecord, LeaseRegister } from '../event-store/port.ts';

export interface LeaseOptions {
  register: LeaseRegister;
  /** Which lease ('deadlines'): one register per name. */
  name: string;
  /** This process (unique per start: a restarted replica is a new holder). */
  holder: string;
  /** How long a write holds the lease; renew well within it (a third is usual). */
  ttlMs: number;
  /** A monotonic clock in ms (tests pass their own); never wall time, see below. */
  now?: () => number;
}

/** Written by a holder that lets go, so the next contender need not wait out the ttl. */
const RELEASED = '';

/**
 * Leader election on a compare-and-set register (a row of the SQLite file, a stream on
 * EventStoreDB), for work that must run on one replica only: the deadline service.
 *
 * No wall clocks are compared between hosts. The holder renews by writing the register at the
 * version it last wrote; it counts itself leader until `ttl` after it *sent* its last
 * successful write. A contender watches the register's version on its own clock: when the
 * version has not moved for `ttl` since it first saw it, the holder has stopped renewing, and
 * the contender writes at that version. Only one such write can succeed, and any later
 * renewal by the old holder fails on the version. A holder that stops gracefully writes
 * "released", which a contender takes at once.
 *
 * Like every lease, this gives at-most-one leader only while the processes' clocks run at
 * the same rate and pauses stay shorter than the ttl; the deadline service does not rely on
 * it for safety (the domain is idempotent and appends carry expected revisions), only for
 * running once instead of on every replica.
 */
export class Lease {
  readonly #o: Required<LeaseOptions>;
  /** The version we last wrote, while we believe we hold the lease. */
  #mine: LeaseRecord | undefined;
  #heldUntil = 0;
  /** Someone else's record and when (on our clock) we first saw that version. */
  #seen: { version: number; since: number } | undefined;

  constructor(options: LeaseOptions) {
    this.#o = { now: () => performance.now(), ...options };
  }

  /** Whether this process holds the lease right now, as far as it can tell without asking. */
  get held(): boolean {
    return this.#mine !== undefined && this.#o.now() < this.#heldUntil;
  }

  /**
   * One step: renew the lease if we hold it, take it if it is free, released or abandoned.
   * Answers whether we hold it afterwards. A store error counts as not holding it (and is thrown).
   */
  async acquire(): Promise<boolean> {
    const { register, name, holder, ttlMs, now } = this.#o;
    const sentAt = now();
    try {
      const current = await register.read(name);
      if (current === undefined) return this.#took(await register.write(name, holder, -1), sentAt);
      // Holder ids are unique per process, so a record in our name is ours, even one whose
      // write answered with an error after it had landed: renew it rather than wait it out.
      if (current.holder === holder) {
        return this.#took(await register.write(name, holder, current.version), sentAt);
      }
      this.#lost();
      if (current.holder === RELEASED) return this.#took(await register.write(name, holder, current.version), sentAt);
      if (this.#seen?.version !== current.version) {
        this.#seen = { version: current.version, since: sentAt };
        return false;
      }
      if (sentAt - this.#seen.since < ttlMs) return false;
      return this.#took(await register.write(name, holder, current.version), sentAt);
    } catch (error) {
      this.#lost();
      throw error;
    }
  }

  /** Lets go (if held), so another replica takes over on its next step rather than after the ttl. */
  async release(): Promise<void> {
    const mine = this.#mine;
    this.#lost();
    if (mine === undefined) return;
    await this.#o.register.write(this.#o.name, RELEASED, mine.version).catch(() => undefined);
  }

  #took(record: LeaseRecord | undefined, sentAt: number): boolean {
    if (record === undefined) {
      this.#lost();
      return false;
    }
    this.#mine = record;
    this.#heldUntil = sentAt + this.#o.ttlMs;
    this.#seen = undefined;
    return true;
  }

  #lost(): void {
    this.#mine = undefined;
    this.#heldUntil = 0;
  }
}
