// Instruction-set simulator speed on a compute-bound kernel, one core and the 8-core cluster.
import { formatTable, figuresAlign } from '../gen/text-table.js';
import { measureSpeed } from './iss-speed.js';

export function benchIss(): string {
  const [single, cluster] = measureSpeed();
  const rows = [single, cluster].map((f) => [f.label, String(f.instructions), String(f.cycles), f.seconds.toFixed(2), f.mips.toFixed(1)]);
  const slowdown = single.mips / cluster.mips;
  const header = ['configuration', 'instructions', 'cycles', 'seconds', 'MIPS'];
  return [
    'ISS speed: int8 dot-product loop (2 post-increment loads + cv.sdotsp.b in a hardware loop), best of 5',
    formatTable(header, rows, figuresAlign(header)),
    `cluster slowdown per simulated instruction: ${slowdown.toFixed(2)}x (target: at most 3x); single core target: at least 50 MIPS`,
  ].join('\n');
}
