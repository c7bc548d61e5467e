// The machine a benchmark ran on, printed above every table so figures are never quoted without it.
import os from 'node:os';

export function machineLine(): string {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `machine: ${cpu}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, ${os.platform()} ${os.arch()}`;
}

/** Runs `body` in growing batches until it has taken at least `seconds`; returns operations per second. */
export function rate(body: (count: number) => void, seconds = 1): number {
  let count = 1000;
  for (;;) {
    const start = process.hrtime.bigint();
    body(count);
    const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    if (elapsed >= seconds) return count / elapsed;
    count = Math.ceil(count * Math.min(10, (seconds * 1.2) / Math.max(elapsed, 1e-3)));
  }
}

/** The quickest of `runs` measurements (a shared machine slows some runs, never speeds one up). */
export function fastest<T extends { readonly seconds: number }>(runs: number, measure: () => T): T {
  const all = Array.from({ length: runs }, measure);
  return all.reduce((a, b) => (b.seconds < a.seconds ? b : a));
}
