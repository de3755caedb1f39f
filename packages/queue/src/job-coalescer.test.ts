import { describe, expect, it } from 'vitest';
import { JobCoalescer } from './job-coalescer.ts';

/** A promise with its resolver, to hold a group in flight. */
function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('JobCoalescer', () => {
  it('runs a lone submission at once and groups those that arrive while a group runs', async () => {
    const groups: number[][][] = [];
    const first = gate();
    const coalescer = new JobCoalescer<number[], number>({
      name: 'test',
      sizeOf: (s) => s.length,
      run: async (subs) => {
        groups.push(subs.map((s) => [...s]));
        if (groups.length === 1) await first.promise;
        return subs.map((s) => s.reduce((a, b) => a + b, 0));
      },
    });
    const a = coalescer.submit([1, 2]);
    const b = coalescer.submit([3]);
    const c = coalescer.submit([4, 5]);
    expect(groups).toEqual([[[1, 2]]]);
    expect(coalescer.waitingCount).toBe(2);
    first.open();
    expect(await Promise.all([a, b, c])).toEqual([3, 3, 9]);
    expect(groups).toEqual([[[1, 2]], [[3], [4, 5]]]);
  });

  it('caps a group at maxItems but always takes one submission, however large', async () => {
    const sizes: number[] = [];
    const hold = gate();
    const coalescer = new JobCoalescer<number[], number>({
      name: 'test',
      maxItems: 4,
      sizeOf: (s) => s.length,
      run: async (subs) => {
        sizes.push(subs.reduce((n, s) => n + s.length, 0));
        if (sizes.length === 1) await hold.promise;
        return subs.map((s) => s.length);
      },
    });
    const done = [
      coalescer.submit([0]),
      coalescer.submit([1, 1, 1]),
      coalescer.submit([2, 2]),
      coalescer.submit([3, 3, 3, 3, 3, 3]),
    ];
    hold.open();
    expect(await Promise.all(done)).toEqual([1, 3, 2, 6]);
    expect(sizes).toEqual([1, 3, 2, 6]);
  });

  it('reruns a failed group one submission at a time, so only the bad submission fails', async () => {
    const calls: string[][] = [];
    const hold = gate();
    const coalescer = new JobCoalescer<string, string>({
      name: 'test',
      run: async (subs) => {
        calls.push([...subs]);
        if (calls.length === 1) await hold.promise;
        if (subs.includes('bad')) throw new Error('bad input');
        return subs.map((s) => s.toUpperCase());
      },
    });
    const first = coalescer.submit('a');
    const good = coalescer.submit('b');
    const bad = coalescer.submit('bad');
    hold.open();
    expect(await first).toBe('A');
    expect(await good).toBe('B');
    await expect(bad).rejects.toThrow('bad input');
    expect(calls).toEqual([['a'], ['b', 'bad'], ['b'], ['bad']]);
  });

  it('runs up to maxConcurrentGroups groups at once', async () => {
    let active = 0;
    let peak = 0;
    const coalescer = new JobCoalescer<number, number>({
      name: 'test',
      maxConcurrentGroups: 2,
      run: async (subs) => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
        return subs.map((s) => s * 2);
      },
    });
    expect(await Promise.all(Array.from({ length: 20 }, (_, i) => coalescer.submit(i)))).toEqual(
      Array.from({ length: 20 }, (_, i) => i * 2),
    );
    expect(peak).toBe(2);
  });
});
