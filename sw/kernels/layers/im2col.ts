/**
 * The pixel-major im2col of the convolution kernels (docs/kernels.md#im2col): emitted code that
 * copies the window of one output pixel, in the weights' order (ky, kx, c; sw/layers/spec.ts), from
 * the HWC input into a column buffer, writing zeros where the window hangs over the padding and
 * after the column up to a caller-chosen padded length (word loads over the whole column are then
 * safe, and the padded weights are zero; a sparse kernel pads to its group span).
 *
 * Use: im2colStartLines once (the window of the first pixel), then per pixel im2colColumnLines (the
 * copy) and im2colNextPixelLines (step along the output row, wrapping to the next row). The window's
 * corner stays in two registers and the bounds are checked once per pixel, outside the copy loops
 * (PULP-NN's style): per pixel, rows of zeros above and below the input, and per kernel row a run of
 * zeros left, one contiguous copy of the window's columns inside the input, and zeros right.
 * Whole words are copied when Cin % 4 == 0 (every run is then a multiple of 4 bytes), else bytes.
 */
import { type LayerSpec, LayerSpecError, outputWidth, reductionLength } from '../../layers/spec.js';

/** The registers the im2col code uses; all distinct, none of them sp. */
export interface Im2colRegisters {
  /** Input row and column of the window's top-left corner (may be negative in the padding); kept across pixels. */
  readonly y: string;
  readonly x: string;
  /** Address of the column to write; left just past its padded end. */
  readonly column: string;
  /** Clobbered by im2colColumnLines and im2colNextPixelLines: IM2COL_TEMPS registers. */
  readonly temps: readonly string[];
}

/** How many temporaries im2colColumnLines needs. */
export const IM2COL_TEMPS = 10;

/** Byte or word copies: a column is copied in words when every run of it is a whole number of words. */
interface Unit {
  readonly bytes: 1 | 4;
  readonly load: string;
  readonly store: string;
}

const unitOf = (spec: LayerSpec): Unit => (spec.inC % 4 === 0 ? { bytes: 4, load: 'cv.lw', store: 'cv.sw' } : { bytes: 1, load: 'cv.lbu', store: 'cv.sb' });

/** `rd = rs + value` for any int32 value (addi when it fits 12 bits, else through `scratch`). */
export function addConstantLines(rd: string, rs: string, value: number, scratch: string): string[] {
  if (value >= -2048 && value < 2048) return value === 0 && rd === rs ? [] : [`  addi ${rd}, ${rs}, ${value}`];
  return [`  li ${scratch}, ${value}`, `  add ${rd}, ${rs}, ${scratch}`];
}

/** `rd = rs * value` for a non-negative constant. */
function multiplyConstantLines(rd: string, rs: string, value: number, scratch: string): string[] {
  if (value === 1) return rd === rs ? [] : [`  mv ${rd}, ${rs}`];
  if ((value & (value - 1)) === 0) return [`  slli ${rd}, ${rs}, ${Math.log2(value)}`];
  return [`  li ${scratch}, ${value}`, `  mul ${rd}, ${rs}, ${scratch}`];
}

/**
 * `count` (a register, >= 0, clobbered) repetitions of `once`: a hardware loop 0 over `unroll`
 * copies of it (`unrolled`, at least 3 instructions, the copies interleaved by the caller to avoid
 * load-use stalls), then a branch loop over the remainder. `pairs` is clobbered too.
 */
export function repeatLines(label: string, count: string, pairs: string, unroll: 2 | 4, unrolled: readonly string[], once: readonly string[]): string[] {
  return [
    `  srli ${pairs}, ${count}, ${Math.log2(unroll)}`,
    `  beqz ${pairs}, ${label}_rest`,
    `  cv.setup 0, ${pairs}, ${label}_rest`,
    ...unrolled,
    `${label}_rest:`,
    `  andi ${count}, ${count}, ${unroll - 1}`,
    `  beqz ${count}, ${label}_done`,
    `${label}_one:`,
    ...once,
    `  addi ${count}, ${count}, -1`,
    `  bnez ${count}, ${label}_one`,
    `${label}_done:`,
  ];
}

/** `count` units of zeros at `column`. */
function zeroLines(label: string, unit: Unit, column: string, count: string, pairs: string): string[] {
  const store = `  ${unit.store} zero, (${column}), ${unit.bytes}`;
  return repeatLines(label, count, pairs, 4, [store, store, store, store], [store]);
}

/** `count` units copied from `source` to `column`, both advanced. */
function copyLines(label: string, unit: Unit, column: string, source: string, count: string, pairs: string, a: string, b: string): string[] {
  const load = (r: string): string => `  ${unit.load} ${r}, (${source}), ${unit.bytes}`;
  const store = (r: string): string => `  ${unit.store} ${r}, (${column}), ${unit.bytes}`;
  return repeatLines(label, count, pairs, 2, [load(a), load(b), store(a), store(b)], [load(a), store(a)]);
}

/** Lines setting the window's corner registers for output pixel `pixel` (row-major over the output). */
export function im2colStartLines(spec: LayerSpec, pixel: number, registers: Im2colRegisters): string[] {
  const width = outputWidth(spec);
  return [
    `  li ${registers.y}, ${Math.floor(pixel / width) * spec.stride - spec.pad.top}      # window corner of output pixel ${pixel}`,
    `  li ${registers.x}, ${(pixel % width) * spec.stride - spec.pad.left}`,
  ];
}

/** Lines moving the window's corner to the next output pixel (along the row, then to the next row). */
export function im2colNextPixelLines(spec: LayerSpec, registers: Im2colRegisters, label: string): string[] {
  const { y, x } = registers;
  const limit = registers.temps[0]!;
  const lastX = (outputWidth(spec) - 1) * spec.stride - spec.pad.left;
  return [
    `  addi ${x}, ${x}, ${spec.stride}              # next output pixel: the window moves right`,
    `  li ${limit}, ${lastX + 1}`,
    `  blt ${x}, ${limit}, ${label}_same_row`,
    `  li ${x}, ${-spec.pad.left}                  # past the row's end: first window of the next row`,
    `  addi ${y}, ${y}, ${spec.stride}`,
    `${label}_same_row:`,
  ];
}

/**
 * Lines writing the im2col column of the pixel whose window corner is (y, x) at `column`,
 * `paddedLength` bytes: the K = kH * kW * Cin values, then zeros. `input` is the HWC input's
 * address. Labels start with `label`. Needs paddedLength >= K, and a multiple of 4 when Cin is.
 */
export function im2colColumnLines(spec: LayerSpec, input: number, paddedLength: number, registers: Im2colRegisters, label: string): string[] {
  const k = reductionLength(spec);
  const unit = unitOf(spec);
  if (spec.kind === 'dw') throw new LayerSpecError('kind', 'im2col copies the windows of a convolution over all channels, not a depthwise one');
  if (!Number.isInteger(paddedLength) || paddedLength < k || paddedLength % unit.bytes !== 0) {
    throw new LayerSpecError('tile', `an im2col column of '${spec.name}' needs a padded length of at least ${k} bytes${unit.bytes === 4 ? ', a multiple of 4' : ''}, not ${paddedLength}`);
  }
  if (registers.temps.length < IM2COL_TEMPS) throw new RangeError(`im2col needs ${IM2COL_TEMPS} temporaries, not ${registers.temps.length}`);
  const { y, x, column } = registers;
  const [top, bottom, left, right, middle, source, rows, skip, count, pairs] = registers.temps as [string, string, string, string, string, string, string, string, string, string];
  const [a, b] = [top, bottom]; // the copy's data registers: top and bottom are dead inside the row loop
  const channelUnits = spec.inC / unit.bytes;
  const rowUnits = spec.kW * channelUnits;
  const tailUnits = (paddedLength - k) / unit.bytes;
  return [
    `# im2col: column of the window at (y ${y}, x ${x}), ${k} bytes + ${paddedLength - k} of padding, in ${unit.bytes === 4 ? 'words' : 'bytes'}`,
    `  sub ${top}, zero, ${y}`,
    `  cv.max ${top}, ${top}, zero             # kernel rows above the input`,
    ...addConstantLines(bottom, y, spec.kH - spec.inH, pairs),
    `  cv.max ${bottom}, ${bottom}, zero       # kernel rows below the input`,
    `  li ${rows}, ${spec.kH}`,
    `  sub ${rows}, ${rows}, ${top}`,
    `  sub ${rows}, ${rows}, ${bottom}         # kernel rows inside the input (at least 1)`,
    `  sub ${left}, zero, ${x}`,
    `  cv.max ${left}, ${left}, zero           # kernel columns left of the input`,
    ...addConstantLines(right, x, spec.kW - spec.inW, pairs),
    `  cv.max ${right}, ${right}, zero         # kernel columns right of the input`,
    `  add ${source}, ${y}, ${top}`,
    ...multiplyConstantLines(source, source, spec.inW, pairs),
    `  add ${source}, ${source}, ${x}`,
    `  add ${source}, ${source}, ${left}`,
    ...multiplyConstantLines(source, source, spec.inC, pairs),
    ...addConstantLines(source, source, input, pairs),
    `  li ${middle}, ${spec.kW}                # the copied run: the window's columns inside the input`,
    `  sub ${middle}, ${middle}, ${left}`,
    `  sub ${middle}, ${middle}, ${right}`,
    ...multiplyConstantLines(middle, middle, channelUnits, pairs),
    ...multiplyConstantLines(left, left, channelUnits, pairs),
    ...multiplyConstantLines(right, right, channelUnits, pairs),
    ...multiplyConstantLines(skip, middle, unit.bytes, pairs),
    `  sub ${skip}, zero, ${skip}`,
    ...addConstantLines(skip, skip, spec.inW * spec.inC, pairs),
    `  # the rows above the input: zeros`,
    ...multiplyConstantLines(count, top, rowUnits, pairs),
    ...zeroLines(`${label}_top`, unit, column, count, pairs),
    `${label}_row:                             # one kernel row inside the input: zeros, copy, zeros`,
    `  mv ${count}, ${left}`,
    ...zeroLines(`${label}_left`, unit, column, count, pairs),
    `  mv ${count}, ${middle}`,
    ...copyLines(`${label}_copy`, unit, column, source, count, pairs, a, b),
    `  mv ${count}, ${right}`,
    ...zeroLines(`${label}_right`, unit, column, count, pairs),
    `  add ${source}, ${source}, ${skip}       # the same columns one input row down`,
    `  addi ${rows}, ${rows}, -1`,
    `  bnez ${rows}, ${label}_row`,
    `  # the rows below the input and the padding after the column: zeros`,
    ...addConstantLines(bottom, y, spec.kH - spec.inH, pairs),
    `  cv.max ${bottom}, ${bottom}, zero`,
    ...multiplyConstantLines(count, bottom, rowUnits, pairs),
    ...addConstantLines(count, count, tailUnits, pairs),
    ...zeroLines(`${label}_bottom`, unit, column, count, pairs),
  ];
}
