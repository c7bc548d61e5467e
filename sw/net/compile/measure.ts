/**
 * The kernels' measured cycles for the cost model (cost.ts): one tile of a layer, run alone on the
 * cluster as a layer program (sw/kernels/layers/program.ts) with the scratch the tiling gives each
 * core, from random data of its shape (a kernel's cycles depend on the shape, the N:M pattern and
 * the scratch, not on the values). Measurements are kept for the process, since a network's layers
 * repeat their tile shapes.
 */
import type { SparsityPattern } from '../../../isa/xnmsparse/gather.js';
import type { Cycles } from '../../../isa/types.js';
import type { VariantGenerator } from '../../kernels/layers/generator.js';
import { layerProgram } from '../../kernels/layers/program.js';
import { runLayerProgram } from '../../kernels/layers/run.js';
import { randomLayerData } from '../../layers/data.js';
import type { LayerSpec } from '../../layers/spec.js';

const measured = new Map<string, Cycles>();

export function measureTile(generator: VariantGenerator, spec: LayerSpec, pattern: SparsityPattern | undefined, cores: number, scratchBytes: number): Cycles {
  const key = JSON.stringify({ variant: generator.variant, spec: { ...spec, name: '' }, pattern, cores, scratchBytes });
  const known = measured.get(key);
  if (known !== undefined) return known;
  const program = layerProgram(randomLayerData(spec, 1, pattern), generator.variant, pattern, cores, { scratchBudget: scratchBytes });
  if (program.plan.scratchBytes !== scratchBytes) throw new Error(`measure: layer '${spec.name}' got ${program.plan.scratchBytes} bytes of scratch per core, not the tiling's ${scratchBytes}`);
  const cycles = runLayerProgram(program).cycles;
  measured.set(key, cycles);
  return cycles;
}
