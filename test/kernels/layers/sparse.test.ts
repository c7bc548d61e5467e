// The software N:M-sparse layer kernel, bit-exact against the golden model on awkward shapes
// (every edge of the buffer, the passes, the core split and the weight stream), every pattern,
// 1 and 8 cores.
import { describe, expect, it } from 'vitest';
import { patternName, patterns } from '../../../isa/xnmsparse/gather.js';
import { randomLayerData } from '../../../sw/layers/data.js';
import { type LayerSpec, LayerSpecError, NO_PADDING } from '../../../sw/layers/spec.js';
import { BENCH_LAYERS } from '../../../sw/kernels/bench/cases.js';
import { layerProgram } from '../../../sw/kernels/layers/program.js';
import { checkLayerOutput, runLayerProgram } from '../../../sw/kernels/layers/run.js';
import { sparseGenerator } from '../../../sw/kernels/layers/sparse.js';
import { bufferGeometry, chunksOf, coreShares, ownedChannels, passCount, rowsWanted, teamRows } from '../../../sw/kernels/layers/sparse-geometry.js';
import { AMPLE_SCRATCH, SPARSE_KERNEL_SHAPES } from './support.js';


const base = { inputSigned: false, output: 'uint8', relu: true, stride: 1, pad: NO_PADDING } as const;

const SHAPES = SPARSE_KERNEL_SHAPES;

describe('sparse layer kernel', () => {
  for (const pattern of patterns) {
    it.each(SHAPES.map((spec) => [spec.name, spec] as const))(`${patternName(pattern)} %s, 1 and 8 cores, bit-exact`, (_, spec) => {
      const data = randomLayerData(spec, 11, pattern);
      for (const cores of [1, 8]) {
        const program = layerProgram(data, 'sparse', pattern, cores);
        checkLayerOutput(program, data, runLayerProgram(program).output);
      }
    });
  }

  it('reports the bytes it reads: one value and a 16-bit offset per non-zero', () => {
    const spec = SHAPES[0]!;
    const program = layerProgram(randomLayerData(spec, 3, { n: 1, m: 8 }), 'sparse', { n: 1, m: 8 }, 1);
    // K = 27 pads to 32: 4 non-zeros per channel.
    expect(program.weights).toEqual({ valueBytes: 5 * 4, indexBytes: 5 * 4 * 2, total: 5 * 12 });
    expect(program.instructionSet).toBe('cv32e40p');
  });

  it('stores the outputs of a pass at 12-bit offsets of its first, or through stepping pointers when they lie further', () => {
    const source = (name: string): string => {
      const spec = SHAPES.find((shape) => shape.name === name)!;
      return layerProgram(randomLayerData(spec, 3, { n: 1, m: 8 }), 'sparse', { n: 1, m: 8 }, 1).source;
    };
    expect(source('conv-odd')).not.toContain('output bytes between lanes');
    expect(source('matmul-300-channels')).toContain('output bytes between lanes');
  });

  it('bounds the layer by its largest core share: 41 cycles per group of four non-zeros and pass of 8 pixels', () => {
    const spec: LayerSpec = { ...base, name: 'conv', kind: 'conv', inH: 8, inW: 8, inC: 64, outC: 32, kH: 3, kW: 3, pad: { top: 1, bottom: 1, left: 1, right: 1 } };
    // 8 passes; 576 / 8 = 72 non-zeros = 18 groups per channel.
    expect(sparseGenerator.bound(spec, { n: 1, m: 8 }, 1, AMPLE_SCRATCH)).toBe(8 * 32 * 18 * 41);
    expect(sparseGenerator.bound(spec, { n: 1, m: 8 }, 8, AMPLE_SCRATCH)).toBe(32 * 18 * 41);
  });

  it('takes every input row when they fit, else whole channel blocks, and names the tile when a team has too few rows', () => {
    const spec = SHAPES[0]!;
    // Output width 10: Q = 4 columns between lanes, 4 + 2 words per channel block (the window adds
    // two) = 24 bytes; rows of 3 channels = 72 bytes; 8 input rows (6 output rows plus the window).
    expect(sparseGenerator.scratchBytes(spec, { n: 1, m: 8 }, 100_000)).toBe(8 * 72);
    expect(sparseGenerator.scratchBytes(spec, { n: 1, m: 8 }, 250)).toBe(240);
    expect(() => sparseGenerator.scratchBytes(spec, { n: 1, m: 8 }, 20)).toThrow(LayerSpecError);
    // A pass needs kH = 3 rows: one core with 192 bytes has 2, two cores pooling them 5.
    expect(() => teamRows(spec, 192, 1)).toThrow(/needs 3 rows of 72 bytes/);
    expect(teamRows(spec, 192, 2)).toBe(5);
  });

  it('runs a layer whose buffer holds only some of its rows (chunks refilled, padding rows cleared)', () => {
    // 42 buffer rows of 32 channels x 8 words (43 KB) do not fit next to the 30 KB input on one core.
    const spec: LayerSpec = { ...base, name: 'conv-chunked', kind: 'conv', inH: 40, inW: 24, inC: 32, outC: 4, kH: 3, kW: 3, pad: { top: 1, bottom: 1, left: 1, right: 1 } };
    const pattern = { n: 1, m: 16 } as const;
    const data = randomLayerData(spec, 5, pattern);
    const program = layerProgram(data, 'sparse', pattern, 1);
    expect(program.plan.scratchBytes).toBeLessThan(42 * 32 * 32);
    checkLayerOutput(program, data, runLayerProgram(program).output);
  });

  it.each(['conv3x3-256-4x4', 'vit-mlp-down-16x768-48'])('%s on 8 cores: teams of cores pool their scratch for one buffer, bit-exact', (name) => {
    const spec = BENCH_LAYERS.find((layer) => layer.name === name)!;
    const pattern = { n: 1, m: 16 } as const;
    const data = randomLayerData(spec, 2, pattern);
    const program = layerProgram(data, 'sparse', pattern, 8);
    expect(program.source).toContain('# meet the team');
    checkLayerOutput(program, data, runLayerProgram(program).output);
  });

  it.each([1, 3, 8])('splits every shape on %i cores: each pass x channel once, teams filling equal, disjoint parts of every chunk', (cores) => {
    const wide: LayerSpec = { ...base, name: 'conv-16x16', kind: 'conv', inH: 16, inW: 16, inC: 64, outC: 16, kH: 3, kW: 3, pad: { top: 1, bottom: 1, left: 1, right: 1 } };
    for (const spec of [...SHAPES, wide]) {
      const geometry = bufferGeometry(spec);
      const passes = passCount(geometry);
      // Every row in one core's scratch, or just enough for one pass and a few channels more (chunks).
      for (const scratch of [100_000, rowsWanted(spec).least * geometry.rowBytes + 3 * geometry.channelBytes]) {
        const shares = coreShares(spec, cores, scratch);
        const seen = new Map<string, number>();
        shares.forEach((share, core) => {
          const { team } = share;
          expect(shares[team.first + team.member]).toBe(share);
          expect(share.passes.start).toBeGreaterThanOrEqual(team.passes.start);
          expect(share.passes.start + share.passes.count).toBeLessThanOrEqual(team.passes.start + team.passes.count);
          for (let p = share.passes.start; p < share.passes.start + share.passes.count; p++) {
            for (let c = share.channels.start; c < share.channels.start + share.channels.count; c++) seen.set(`${p} ${c}`, (seen.get(`${p} ${c}`) ?? 0) + 1);
          }
          if (team.member > 0 || team.passes.count === 0) return;
          // The team's members tile every row of each chunk, their parts of the input rows and of
          // each padding row differing by at most one channel block.
          for (const chunk of chunksOf(spec, team.passes, teamRows(spec, scratch, team.size))) {
            const inputBlocks = Array<number>(team.size).fill(0);
            for (let r = 0; r < chunk.inputRows; r++) {
              const parts = Array.from({ length: team.size }, (_, member) => ownedChannels(spec, chunk, { ...team, member }, r));
              parts.forEach((part, member) => expect(part.first).toBe(member === 0 ? 0 : parts[member - 1]!.end));
              expect(parts[team.size - 1]!.end).toBe(spec.inC);
              const sizes = parts.map((part) => part.end - part.first);
              const iy = chunk.firstInputRow + r;
              if (iy >= 0 && iy < geometry.inRows) sizes.forEach((size, member) => (inputBlocks[member] = inputBlocks[member]! + size));
              else expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
            }
            expect(Math.max(...inputBlocks) - Math.min(...inputBlocks)).toBeLessThanOrEqual(1);
          }
          expect(core).toBe(team.first);
        });
        expect(seen.size, spec.name).toBe(passes * spec.outC);
        expect([...seen.values()].every((n) => n === 1), spec.name).toBe(true);
      }
    }
  });

  it('on 8 cores, a tile whose buffer fits their pooled scratch is filled once by one team of 8 that then splits the passes', () => {
    const spec = BENCH_LAYERS.find((layer) => layer.name === 'conv3x3-64-16x16')!;
    const pattern = { n: 1, m: 16 } as const;
    const data = randomLayerData(spec, 4, pattern);
    const program = layerProgram(data, 'sparse', pattern, 8);
    const shares = coreShares(spec, 8, program.plan.scratchBytes);
    // 32 passes of 8 pixels, 16 channels: 4 passes x 16 channels each.
    expect(shares.map((share) => [share.team.size, share.passes.count, share.channels.count])).toEqual(Array(8).fill([8, 4, 16]));
    expect(program.source.match(/# meet the team/g)).toHaveLength(8);
    checkLayerOutput(program, data, runLayerProgram(program).output);
  });

  it("computes rows of at most four pixels in passes of two rows, every lane busy, and keeps every member busy in each of a team's chunks", () => {
    // ResNet18's last stage on a 32x32 input: 4x4 outputs of 3x3 x 512 channels, a tile of 8 output channels.
    const spec: LayerSpec = { ...base, name: 'conv-4x4-512', kind: 'conv', inH: 4, inW: 4, inC: 512, outC: 8, kH: 3, kW: 3, pad: { top: 1, bottom: 1, left: 1, right: 1 } };
    const geometry = bufferGeometry(spec);
    expect([geometry.passRows, geometry.laneStep, passCount(geometry)]).toEqual([2, 1, 2]);
    expect(geometry.secondWord).toEqual({ pixels: 4, bytes: geometry.rowBytes });
    // Room for one pass's four input rows: the team refills its buffer for the second pass, so the
    // members split the channels, not the passes (a split of the passes would idle half of them in each chunk).
    const scratch = (4 * geometry.rowBytes) / 8;
    expect(chunksOf(spec, { start: 0, count: 2 }, teamRows(spec, scratch, 8))).toHaveLength(2);
    expect(coreShares(spec, 8, scratch).map((share) => [share.passes.count, share.channels.count])).toEqual(Array(8).fill([2, 1]));
    const pattern = { n: 1, m: 16 } as const;
    const data = randomLayerData(spec, 5, pattern);
    const program = layerProgram(data, 'sparse', pattern, 8, { scratchBudget: scratch });
    checkLayerOutput(program, data, runLayerProgram(program).output);
  });

  it.each(SHAPES.filter((spec) => spec.kind === 'conv').map((spec) => [spec.name, spec] as const))('%s on 3 cores (a team with an idle member, or a core left out), bit-exact', (_, spec) => {
    const pattern = { n: 1, m: 8 } as const;
    const data = randomLayerData(spec, 8, pattern);
    const program = layerProgram(data, 'sparse', pattern, 3);
    checkLayerOutput(program, data, runLayerProgram(program).output);
  });
});
