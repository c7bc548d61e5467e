// A sweep's progress, for people watching a long run.
import type { SweepProgress } from '../../sw/kernels/bench/sweep.js';

/** One line per finished case on stderr (rewritten in place on a terminal): stdout carries only the report. */
export function progressLine({ done, total, name, elapsedMs }: SweepProgress): void {
  const width = String(total).length;
  const text = `[${String(done).padStart(width)}/${total}] ${name} (${(elapsedMs / 1000).toFixed(1)} s)`;
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${text}${done === total ? '\n' : ''}`);
  else process.stderr.write(`${text}\n`);
}
