/**
 * The assembly of a compiled network (docs/compiler.md#program): the runtime, one copy of each
 * distinct tile code with its labels scoped and its table of core entry points, the prologue and
 * the step table. Addresses of data outside L1 come from `address`, so the text can be laid out
 * before the memory plan exists (every such address is a `.word`, whose size does not depend on it).
 */
import type { Addr } from '../../../isa/types.js';
import { assemblerEquates } from '../../../isa/platform/symbols.js';
import { scopeLabels } from './labels.js';
import { runtimeLines } from './runtime.js';
import { isStagingCopy, type Queued, type Schedule, transferIds } from './schedule.js';
import type { External, Tile, Transfer } from './tile.js';

export interface ProgramText {
  readonly source: string;
  /** Distinct tile codes in the program. */
  readonly codes: number;
}

const words = (values: readonly (number | string)[]): string => `  .word ${values.join(', ')}`;

export function networkSource(name: string, tiles: readonly Tile[], plan: Schedule, cores: number, address: (external: External) => Addr): ProgramText {
  const ids = transferIds(plan);
  const isFill = new Set<Transfer>(tiles.flatMap((t) => t.fills));
  const at = (external: External): Addr => (address(external) + external.offset) >>> 0;
  const record = (q: Queued): string => {
    if (isStagingCopy(q)) return words([at(q.fill.external), at(q.to), q.fill.length, 1, q.fill.length, q.fill.length]);
    const far = at(plan.stagedFrom.get(q) ?? q.external);
    return isFill.has(q) ? words([far, q.l1, q.length, q.rows, q.externalStride, q.l1Stride]) : words([q.l1, far, q.length, q.rows, q.l1Stride, q.externalStride]);
  };
  const queue = (transfers: readonly Queued[]): string[] => [words([transfers.length]), ...transfers.map(record)];

  const codeIndex = new Map<string, number>();
  const codeLines: string[] = [];
  const tableLines: string[] = [];
  for (const tile of tiles) {
    if (codeIndex.has(tile.code.key)) continue;
    const index = codeIndex.size;
    codeIndex.set(tile.code.key, index);
    const body = tile.code.lines();
    if (body.some((line) => /^\s*\.(section|data|text|rodata)/.test(line))) throw new Error(`${tile.node}: a tile's code may not switch sections`);
    // The code's own `kernel_end`, within a branch's reach of it, leads back to the runtime.
    codeLines.push(`# tile code ${index}: ${tile.node}`, ...scopeLabels([...body, 'kernel_end:', '  j net_tile_done'], `t${index}_`));
    tableLines.push(`net_code_${index}:`, words(Array.from({ length: cores }, (_, core) => `t${index}_core_${core}`)));
  }
  const stepLines = plan.steps.flatMap((step) => {
    const tile = tiles[step.tile]!;
    return [
      `# step ${step.tile}: ${tile.node}`,
      words([`net_code_${codeIndex.get(tile.code.key)}`, step.wait ? ids.get(step.wait)! : 0, step.barrier ? 1 : 0]),
      ...queue(step.queue),
    ];
  });
  const source = [
    `# ${name}: compiled by nmsparse (sw/net/compile), ${cores} core${cores > 1 ? 's' : ''}, ${tiles.length} tiles`,
    assemblerEquates(),
    ...runtimeLines(cores),
    ...codeLines,
    '  .section .rodata.net_tables',
    '  .p2align 2',
    ...tableLines,
    'net_prologue:',
    ...queue(plan.prologue),
    'net_steps:',
    ...stepLines,
    words([0]),
  ].join('\n');
  return { source: `${source}\n`, codes: codeIndex.size };
}
