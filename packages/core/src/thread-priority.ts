import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * Id of the calling thread as the kernel knows it (Linux: the last part of the `/proc/thread-self` link), or
 * undefined where there is no such link. Node has no `gettid()`; a worker thread reading the link sees its own id.
 */
export function currentThreadId(): number | undefined {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    return Number.isInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Lowers the scheduling priority of the calling thread only, to `niceness` (never raises it: an unprivileged
 * process cannot take it back). On Linux, `setpriority(PRIO_PROCESS, tid)` applies to one thread, so a process can
 * keep its main thread, which holds database transactions, at normal priority while its CPU-heavy threads yield
 * the CPU to the dashboard. Returns the thread's niceness afterwards, or undefined where threads cannot be told
 * apart (not Linux) or the call was refused.
 */
export function lowerThreadPriority(niceness: number): number | undefined {
  const tid = currentThreadId();
  if (tid === undefined) return undefined;
  try {
    if (getPriority(tid) < niceness) setPriority(tid, niceness);
    return getPriority(tid);
  } catch {
    return undefined;
  }
}

/**
 * Niceness of every thread of process `pid` (Linux, from `/proc/<pid>/task/<tid>/stat`), by thread id; empty where
 * `/proc` is missing. For checks and diagnostics: which threads of a worker run at low priority.
 */
export function threadNiceness(pid: number): Map<number, number> {
  const result = new Map<number, number>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return result;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces, hence the last ')'): state is field 3, nice field 19.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      result.set(Number(tid), Number(fields[16]));
    } catch {
      // The thread ended between listing and reading.
    }
  }
  return result;
}
