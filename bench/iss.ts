// Instruction-set simulator speed on a compute-bound kernel, one core and the 8-core cluster.
import { formatTable, figuresAlign } from '../gen/text-table.js';
import type { BenchCase } from '../sw/kernels/bench/cases.js';
import { measureLayerSpeed, measureSpeed, type SpeedFigure } from './iss-speed.js';

/** Kernel-bench layers on the 8-core cluster: the dense kernel and the two sparse ones at 1:16. */
const LAYER_CASES: readonly Omit<BenchCase, 'cores'>[] = [
  { layer: 'conv3x3-64-16x16', nm: 'dense', variant: 'dense' },
  { layer: 'conv3x3-64-16x16', nm: '1:16', variant: 'sparse' },
  { layer: 'conv3x3-64-16x16', nm: '1:16', variant: 'xnmsparse' },
];

const HEADER = ['configuration', 'instructions', 'cycles', 'seconds', 'MIPS'];
const table = (figures: readonly SpeedFigure[]): string =>
  formatTable(HEADER, figures.map((f) => [f.label, String(f.instructions), String(f.cycles), f.seconds.toFixed(2), f.mips.toFixed(1)]), figuresAlign(HEADER));

export function benchIss(): string {
  const [single, cluster] = measureSpeed();
  const slowdown = single.mips / cluster.mips;
  return [
    'ISS speed: int8 dot-product loop (2 post-increment loads + cv.sdotsp.b in a hardware loop), best of 5',
    table([single, cluster]),
    `cluster slowdown per simulated instruction: ${slowdown.toFixed(2)}x (target: at most 3x); single core target: at least 50 MIPS`,
    '',
    'ISS speed: kernel-bench layers on the 8-core cluster (instructions of all cores), output checked against golden, best of 3',
    table(measureLayerSpeed(LAYER_CASES)),
    'cluster target: at least 100 MIPS on a kernel layer',
  ].join('\n');
}
