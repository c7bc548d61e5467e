// `nmsparse kernel`: one layer from the command line, run on the simulated cluster (cycles,
// MAC/cycle, where each core's cycles went, the output checked against the golden model) or
// emitted as a self-checking program for another simulator or RTL.
import { patternName } from '../../isa/xnmsparse/gather.js';
import { randomLayerData } from '../../sw/layers/data.js';
import { type LayerKind, type LayerSpec, LAYER_KINDS, type OutputType, type Padding, type Variant, VARIANTS, denseMacs, outputHeight, outputWidth } from '../../sw/layers/spec.js';
import { layerProgram, type LayerProgram } from '../../sw/kernels/layers/program.js';
import { generatorFor } from '../../sw/kernels/layers/registry.js';
import { checkLayerOutput, layerElf, type LayerRun, runLayerProgram } from '../../sw/kernels/layers/run.js';
import { parsePattern } from '../../sw/sparse/pattern.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { runCommand, UsageError } from '../errors.js';
import { parseChoice, parseCount } from '../options.js';
import { MAX_CLUSTER_CORES } from '../../sim/cluster/config.js';

export interface KernelOptions {
  input: string;
  filters?: string;
  kernel?: string;
  stride: string;
  pad: string;
  tokens?: string;
  activationWeights?: boolean;
  variant: string;
  nm?: string;
  cores: string;
  inputType: string;
  outputType: string;
  relu?: boolean;
  seed: string;
  emit?: string;
  out?: string;
}

/** `AxBxC`-style dimensions, each a count, named after the option in errors. */
function dims(text: string, option: string, count: number, form: string): number[] {
  const parts = text.split('x');
  if (parts.length !== count) throw new UsageError(`${option} takes ${form}, got '${text}'`);
  return parts.map((p) => parseCount(p, option, 1, 65_536));
}

function padding(text: string): Padding {
  const parts = text.split(',').map((p) => parseCount(p, '--pad', 0, 63));
  if (parts.length === 1) return { top: parts[0]!, bottom: parts[0]!, left: parts[0]!, right: parts[0]! };
  if (parts.length !== 4) throw new UsageError(`--pad takes P or T,B,L,R, got '${text}'`);
  const [top, bottom, left, right] = parts as [number, number, number, number];
  return { top, bottom, left, right };
}

function layerOf(kindText: string, options: KernelOptions): LayerSpec {
  const kind: LayerKind = parseChoice(kindText, 'kind', LAYER_KINDS);
  const [inH, inW, inC] = dims(options.input, '--input', 3, 'HxWxC') as [number, number, number];
  const window = kind === 'conv' || kind === 'dw' ? '3x3' : '1x1';
  const [kH, kW] = dims(options.kernel ?? window, '--kernel', 2, 'KHxKW') as [number, number];
  if (kind === 'dw' && options.filters !== undefined && parseCount(options.filters, '--filters', 1, 65_536) !== inC) {
    throw new UsageError(`--filters of a depthwise convolution is its input channels (${inC}); leave it out`);
  }
  if (kind !== 'dw' && options.filters === undefined) throw new UsageError(`a ${kind} layer needs --filters`);
  if ((options.tokens !== undefined || options.activationWeights) && kind !== 'matmul') throw new UsageError('--tokens and --activation-weights are for matmul');
  if (kind === 'matmul' && options.tokens === undefined) throw new UsageError('a matmul needs --tokens');
  if (kind === 'matmul' && (inH !== 1 || inW !== 1)) throw new UsageError(`a matmul takes --input 1x1xK (K the reduction length) and --tokens T, got --input ${options.input}`);
  const tokens = kind === 'matmul' ? parseCount(options.tokens!, '--tokens', 1, 65_536) : 1;
  return {
    name: `${kind}-${options.input}`,
    kind,
    inH: kind === 'matmul' ? tokens : inH,
    inW,
    inC,
    outC: kind === 'dw' ? inC : parseCount(options.filters!, '--filters', 1, 65_536),
    kH,
    kW,
    stride: parseCount(options.stride, '--stride', 1, 16),
    pad: padding(options.pad),
    inputSigned: parseChoice(options.inputType, '--input-type', ['int8', 'uint8'] as const) === 'int8',
    output: parseChoice<OutputType>(options.outputType, '--output-type', ['int8', 'uint8']),
    relu: options.relu ?? false,
    ...(options.activationWeights ? { activationWeights: true } : {}),
  };
}

const describeLayer = (p: LayerProgram): string => {
  const s = p.spec;
  const pad = `${s.pad.top},${s.pad.bottom},${s.pad.left},${s.pad.right}`;
  return `${s.kind} ${s.inH}x${s.inW}x${s.inC} -> ${outputHeight(s)}x${outputWidth(s)}x${s.outC}, ${s.kH}x${s.kW} stride ${s.stride} pad ${pad}; ${p.variant}${p.pattern ? ` ${patternName(p.pattern)}` : ''} on ${p.cores} core${p.cores > 1 ? 's' : ''}`;
};

function report(program: LayerProgram, run: LayerRun, denseWeightBytes: number): string {
  const macs = denseMacs(program.spec);
  const f = program.footprint;
  const w = program.weights;
  const lines = [
    describeLayer(program),
    `cycles        ${run.cycles}`,
    `MACs          ${macs} (dense-equivalent)`,
    `MAC/cycle     ${(macs / run.cycles).toFixed(2)}`,
    `bound         ${program.bound} cycles of inner loops (${((100 * program.bound) / run.cycles).toFixed(0)}% of the measured cycles)`,
    `weights       ${w.valueBytes} B values + ${w.indexBytes} B indices = ${w.total} B (dense: ${denseWeightBytes} B)`,
    `L1 tile       ${f.total} B: input ${f.input}, weights ${f.weights}, quantization ${f.quantization}, scratch ${f.scratch}, output ${f.output}`,
    `output        ${program.outputBytes} bytes, bit-exact against the golden model`,
    '',
  ];
  return `${lines.join('\n')}${run.stats()}\n`;
}

export function kernel(kindText: string, options: KernelOptions): Promise<void> {
  return runCommand(() => {
    const spec = layerOf(kindText, options);
    const variant: Variant = parseChoice(options.variant, '--variant', VARIANTS);
    const pattern = options.nm === undefined ? undefined : parsePattern(options.nm);
    const cores = parseCount(options.cores, '--cores', 1, MAX_CLUSTER_CORES);
    const seed = parseCount(options.seed, '--seed', 0, 2 ** 32 - 1);
    const emit = options.emit === undefined ? undefined : parseChoice(options.emit, '--emit', ['asm', 'elf'] as const);
    if (options.out !== undefined && emit === undefined) throw new UsageError('--out is for --emit');
    const data = randomLayerData(spec, seed, pattern);
    const program = layerProgram(data, variant, pattern, cores, { selfCheck: emit !== undefined });
    if (emit === 'asm') {
      if (options.out === undefined) process.stdout.write(program.source);
      else writeFileAtomic(options.out, program.source);
      return;
    }
    const elf = layerElf(program);
    if (emit === 'elf') {
      if (options.out === undefined) throw new UsageError('--emit elf needs --out <file>');
      writeFileAtomic(options.out, elf);
      return;
    }
    const run = runLayerProgram(program, elf);
    checkLayerOutput(program, data, run.output);
    const denseWeightBytes = generatorFor(spec, 'dense').weightImage(data, undefined).valueBytes;
    process.stdout.write(report(program, run, denseWeightBytes));
  });
}
