import { describe, expect, it } from 'vitest';
import type { LeaseRecord, LeaseRegister } from '../event-store/port.ts';
import { Lease } from './lease.ts';

/** A compare-and-set register in memory, as both stores implement it. */
class MemoryRegister implements LeaseRegister {
  record: LeaseRecord | undefined;
  read(): Promise<LeaseRecord | undefined> {
    return Promise.resolve(this.record && { ...this.record });
  }
  write(_name: string, holder: string, expectedVersion: number): Promise<LeaseRecord | undefined> {
    if ((this.record?.version ?? -1) !== expectedVersion) return Promise.resolve(undefined);
    this.record = { holder, version: expectedVersion + 1 };
    return Promise.resolve({ ...this.record });
  }
}

describe('Lease', () => {
  const setup = () => {
    const register = new MemoryRegister();
    let now = 1_000;
    const clock = { advance: (ms: number) => (now += ms) };
    const lease = (holder: string) => new Lease({ register, name: 'deadlines', holder, ttlMs: 100, now: () => now });
    return { register, clock, lease };
  };

  it('is taken by the first contender, renewed by it, and refused to the other while renewed', async () => {
    const { register, clock, lease } = setup();
    const [a, b] = [lease('a'), lease('b')];
    expect(await a.acquire()).toBe(true);
    expect(await b.acquire()).toBe(false);
    for (let i = 0; i < 5; i += 1) {
      clock.advance(60); // more than the ttl in all, but a renews in between
      expect(await a.acquire()).toBe(true);
      expect(await b.acquire()).toBe(false);
    }
    expect(register.record).toEqual({ holder: 'a', version: 5 });
    expect([a.held, b.held]).toEqual([true, false]);
  });

  it("is taken over once the holder's version has stood still for the ttl on the contender's clock", async () => {
    const { register, clock, lease } = setup();
    const [a, b] = [lease('a'), lease('b')];
    await a.acquire();
    expect(await b.acquire()).toBe(false); // b first sees version 0 now
    clock.advance(99);
    expect(await b.acquire()).toBe(false);
    expect(a.held).toBe(true);
    clock.advance(1);
    expect(a.held).toBe(false); // a, not having renewed, no longer counts itself leader...
    expect(await b.acquire()).toBe(true); // ...when b takes over
    expect(register.record).toEqual({ holder: 'b', version: 1 });
    // a's late renewal fails on the version: it does not get the lease back.
    expect(await a.acquire()).toBe(false);
    expect(register.record?.holder).toBe('b');
  });

  it('renews a write of its own whose answer was lost, instead of waiting out the ttl', async () => {
    const { register, lease } = setup();
    const a = lease('a');
    const write = register.write.bind(register);
    register.write = async (...args) => {
      await write(...args);
      throw new Error('connection reset'); // landed, but the answer never came
    };
    await expect(a.acquire()).rejects.toThrow('connection reset');
    expect(a.held).toBe(false);
    register.write = write;
    expect(await a.acquire()).toBe(true);
    expect(register.record).toEqual({ holder: 'a', version: 1 });
  });

  it('lets two contenders of an abandoned lease race: exactly one wins', async () => {
    const { clock, lease } = setup();
    const [a, b, c] = [lease('a'), lease('b'), lease('c')];
    await a.acquire();
    await Promise.all([b.acquire(), c.acquire()]);
    clock.advance(150);
    const won = await Promise.all([b.acquire(), c.acquire()]);
    expect(won.filter(Boolean)).toHaveLength(1);
  });

  it('is free at once after release, and a failed store call means not holding it', async () => {
    const { register, lease } = setup();
    const [a, b] = [lease('a'), lease('b')];
    await a.acquire();
    expect(await b.acquire()).toBe(false);
    await a.release();
    expect(a.held).toBe(false);
    expect(await b.acquire()).toBe(true);

    register.read = () => Promise.reject(new Error('store closed'));
    await expect(b.acquire()).rejects.toThrow('store closed');
    expect(b.held).toBe(false);
  });
});
