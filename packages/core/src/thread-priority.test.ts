import { getPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { currentThreadId, threadNiceness } from './index.ts';

const linux = process.platform === 'linux';
const TSX_URL = import.meta.resolve('tsx/esm/api');

// The thread imports the function under test from its TypeScript source through tsx's loader.
const THREAD_SOURCE = `
  const { parentPort } = require('node:worker_threads');
  parentPort.once('message', async ({ tsxUrl, url, niceness }) => {
    // Node 20 gives worker threads no loader hooks: the thread registers tsx itself.
    (await import(tsxUrl)).register();
    const { lowerThreadPriority, currentThreadId } = await import(url);
    // One call per value asked, in order: each answer is the niceness after that call.
    const after = niceness.map((n) => lowerThreadPriority(n));
    parentPort.postMessage({ tid: currentThreadId(), after });
    // Stay alive until told, so the parent can read this thread's niceness from /proc.
    parentPort.once('message', () => process.exit(0));
  });
`;

describe.skipIf(!linux)('lowerThreadPriority (Linux: per-thread niceness from /proc)', () => {
  it('lowers only the calling thread; the process main thread keeps its priority', async () => {
    const before = getPriority(process.pid);
    const worker = new Worker(THREAD_SOURCE, { eval: true });
    try {
      const answer = await new Promise<{ tid: number; after: number[] }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.postMessage({
          tsxUrl: TSX_URL,
          url: new URL('./thread-priority.ts', import.meta.url).href,
          niceness: [before + 5],
        });
      });
      expect(answer.tid).not.toBe(process.pid);
      expect(answer.after).toEqual([before + 5]);
      const nice = threadNiceness(process.pid);
      expect(nice.get(answer.tid)).toBe(before + 5);
      expect(nice.get(process.pid)).toBe(before);
      expect(getPriority(process.pid)).toBe(before);
      expect(currentThreadId()).toBe(process.pid);
    } finally {
      worker.postMessage('stop');
      await worker.terminate();
    }
  });

  it('never raises a priority already lower than asked', async () => {
    const worker = new Worker(THREAD_SOURCE, { eval: true });
    try {
      const answer = await new Promise<{ after: number[] }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.postMessage({
          tsxUrl: TSX_URL,
          url: new URL('./thread-priority.ts', import.meta.url).href,
          niceness: [15, 5],
        });
      });
      expect(answer.after).toEqual([15, 15]);
    } finally {
      await worker.terminate();
    }
  });
});
