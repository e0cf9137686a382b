// CPU time and memory of another process, read from /proc the same way for every
// server we measure: CPU from /proc/<pid>/stat (utime + stime), memory from
// /proc/<pid>/status (VmRSS now, VmHWM the kernel's high-water mark).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU seconds the process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** Resident memory now and at its peak, in bytes. */
export function memory(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kB = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kB('VmRSS'), hwm: kB('VmHWM') };
}

/** Seconds the process's main thread (its event loop) has spent waiting for a CPU, from /proc/<pid>/schedstat. */
export function runQueueSeconds(pid: number): number {
  const [, waited] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ');
  return Number(waited) / 1e9;
}

/** The main thread's scheduler state now: R running or runnable, S sleeping (idle in epoll), D waiting on the disk. */
export function mainThreadState(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

export interface UsageWindow {
  /** Wall seconds the window lasted. */
  seconds: number;
  /** CPU seconds used in the window. */
  cpu: number;
  /** CPU seconds per wall second (1.0 = one core busy). */
  cores: number;
  /** The highest RSS sampled in the window, bytes. */
  peakRss: number;
  /** RSS when the window ended, bytes. */
  endRss: number;
  /** VmHWM when the window ended: the process's peak RSS since it started. */
  hwm: number;
  /** Share of the window the main thread was runnable but waited for a CPU (another process had it). */
  cpuWait: number;
  /** Share of samples (every 5 ms) that found the main thread blocked on the disk (state D). */
  diskWait: number;
}

/** Samples a process's memory while a window is open; `stop()` reports CPU and memory over it. */
export function openUsageWindow(pid: number, sampleEveryMs = 200): { stop(): UsageWindow } {
  const startedAt = performance.now();
  const cpuAtStart = cpuSeconds(pid);
  const waitAtStart = runQueueSeconds(pid);
  let peakRss = memory(pid).rss;
  const timer = setInterval(() => {
    try {
      peakRss = Math.max(peakRss, memory(pid).rss);
    } catch {
      clearInterval(timer); // the process ended; stop() will say so
    }
  }, sampleEveryMs);
  let states = 0;
  let inDisk = 0;
  const stateTimer = setInterval(() => {
    try {
      states++;
      if (mainThreadState(pid) === 'D') inDisk++;
    } catch {
      clearInterval(stateTimer);
    }
  }, 5);
  return {
    stop() {
      clearInterval(timer);
      clearInterval(stateTimer);
      const seconds = (performance.now() - startedAt) / 1000;
      const cpu = cpuSeconds(pid) - cpuAtStart;
      const { rss, hwm } = memory(pid);
      const cpuWait = (runQueueSeconds(pid) - waitAtStart) / seconds;
      return { seconds, cpu, cores: cpu / seconds, peakRss: Math.max(peakRss, rss), endRss: rss, hwm, cpuWait, diskWait: states > 0 ? inDisk / states : 0 };
    },
  };
}

/** The 1-minute load average and the core count: how busy the machine was around a run. */
export function machineLoad(): { load1: number; cores: number } {
  const [load1] = readFileSync('/proc/loadavg', 'utf8').split(' ');
  const cores = readFileSync('/proc/cpuinfo', 'utf8').split('\n').filter((l) => l.startsWith('processor')).length;
  return { load1: Number(load1), cores };
}
