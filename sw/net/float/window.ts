/**
 * The float operators that slide a window over an NCHW image: Conv (groups, dilations, pads,
 * strides), MaxPool, AveragePool and GlobalAveragePool.
 */
import type { NodeContext } from './context.js';
import type { FloatValue } from './tensor.js';

interface Window {
  readonly kH: number;
  readonly kW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly dilationH: number;
  readonly dilationW: number;
  /** ONNX order: top, left, bottom, right. */
  readonly pads: readonly [number, number, number, number];
  readonly outH: number;
  readonly outW: number;
}

function imageDims(context: NodeContext, value: FloatValue): [number, number, number, number] {
  if (value.dims.length !== 4) throw context.error(`takes an NCHW image, not a tensor of shape [${value.dims.join(', ')}]`);
  return value.dims as unknown as [number, number, number, number];
}

function windowOf(context: NodeContext, h: number, w: number, kernel: readonly number[]): Window {
  const autoPad = context.string('auto_pad', 'NOTSET');
  if (autoPad !== 'NOTSET') throw context.error(`auto_pad ${autoPad} should have been resolved to pads by the front end`);
  if (context.int('ceil_mode', 0) !== 0) throw context.error('ceil_mode 1 is not supported');
  const [kH, kW] = kernel as [number, number];
  const [strideH, strideW] = context.ints('strides', [1, 1]) as [number, number];
  const [dilationH, dilationW] = context.ints('dilations', [1, 1]) as [number, number];
  const pads = context.ints('pads', [0, 0, 0, 0]) as [number, number, number, number];
  if (kernel.length !== 2 || pads.length !== 4) throw context.error('only 2-D windows are supported');
  const outH = Math.floor((h + pads[0] + pads[2] - ((kH - 1) * dilationH + 1)) / strideH) + 1;
  const outW = Math.floor((w + pads[1] + pads[3] - ((kW - 1) * dilationW + 1)) / strideW) + 1;
  if (outH < 1 || outW < 1) throw context.error(`the ${kH}x${kW} window does not fit the ${h}x${w} input`);
  return { kH, kW, strideH, strideW, dilationH, dilationW, pads, outH, outW };
}

export function conv(context: NodeContext): FloatValue[] {
  const x = context.input(0);
  const weight = context.input(1);
  const bias = context.optionalInput(2);
  const [n, c, h, w] = imageDims(context, x);
  const [outC, groupC, kH, kW] = weight.dims as [number, number, number, number];
  const group = context.int('group', 1);
  if (weight.dims.length !== 4 || groupC * group !== c || outC % group !== 0) {
    throw context.error(`weights [${weight.dims.join(', ')}] with group ${group} do not fit ${c} input channels`);
  }
  const win = windowOf(context, h, w, context.ints('kernel_shape', [kH, kW]));
  const outPerGroup = outC / group;
  const out = new Float32Array(n * outC * win.outH * win.outW);
  const weights = weight.data;
  // Per output pixel and group, the window's input values inside the image are gathered once, in
  // the weights' order (channel, row, column); each output channel's sum then runs over them in
  // that order from the bias, in double precision, as the definition adds them (a tap in the
  // padding adds nothing, so it is left out). Four output channels at a time share the gathered
  // values: four independent sums, which the processor overlaps (one sum alone waits for each
  // addition before the next).
  const taps = groupC * kH * kW;
  const values = new Float64Array(taps);
  const inside = new Int32Array(taps);
  const plane = win.outH * win.outW;
  const biasOf = (o: number): number => (bias ? bias.data[o]! : 0);
  /** The window of output pixel (oy, ox) over the channels from `firstPlane`: its taps inside the image, in `values` and `inside`; returns how many. */
  const gather = (firstPlane: number, oy: number, ox: number): number => {
    let count = 0;
    for (let ci = 0; ci < groupC; ci++) {
      for (let ky = 0; ky < kH; ky++) {
        const y = oy * win.strideH - win.pads[0] + ky * win.dilationH;
        if (y < 0 || y >= h) continue;
        for (let kx = 0; kx < kW; kx++) {
          const xx = ox * win.strideW - win.pads[1] + kx * win.dilationW;
          if (xx < 0 || xx >= w) continue;
          values[count] = x.data[firstPlane + (ci * h + y) * w + xx]!;
          inside[count++] = (ci * kH + ky) * kW + kx;
        }
      }
    }
    return count;
  };
  for (let b = 0; b < n; b++) {
    for (let g = 0; g < group; g++) {
      for (let pixel = 0; pixel < plane; pixel++) {
        const count = gather((b * c + g * groupC) * h * w, Math.floor(pixel / win.outW), pixel % win.outW);
        // Output channel o of this pixel is out[first + o * plane].
        const first = b * outC * plane + pixel;
        const last = (g + 1) * outPerGroup;
        let o = g * outPerGroup;
        for (; o + 4 <= last; o += 4) {
          const row = o * taps;
          let s0 = biasOf(o);
          let s1 = biasOf(o + 1);
          let s2 = biasOf(o + 2);
          let s3 = biasOf(o + 3);
          for (let t = 0; t < count; t++) {
            const v = values[t]!;
            const tap = row + inside[t]!;
            s0 += weights[tap]! * v;
            s1 += weights[tap + taps]! * v;
            s2 += weights[tap + 2 * taps]! * v;
            s3 += weights[tap + 3 * taps]! * v;
          }
          out[first + o * plane] = s0;
          out[first + (o + 1) * plane] = s1;
          out[first + (o + 2) * plane] = s2;
          out[first + (o + 3) * plane] = s3;
        }
        for (; o < last; o++) {
          let sum = biasOf(o);
          for (let t = 0; t < count; t++) sum += weights[o * taps + inside[t]!]! * values[t]!;
          out[first + o * plane] = sum;
        }
      }
    }
  }
  return [{ dims: [n, outC, win.outH, win.outW], data: out }];
}

/** Each output element reduces the input values of its window that lie inside the image. */
function pool(context: NodeContext, kernel: readonly number[] | undefined, reduce: (values: number[], window: Window) => number): FloatValue[] {
  const x = context.input(0);
  const [n, c, h, w] = imageDims(context, x);
  const win = windowOf(context, h, w, kernel ?? context.ints('kernel_shape'));
  const out = new Float32Array(n * c * win.outH * win.outW);
  let i = 0;
  for (let plane = 0; plane < n * c; plane++) {
    for (let oy = 0; oy < win.outH; oy++) {
      for (let ox = 0; ox < win.outW; ox++) {
        const values: number[] = [];
        for (let ky = 0; ky < win.kH; ky++) {
          const y = oy * win.strideH - win.pads[0] + ky * win.dilationH;
          if (y < 0 || y >= h) continue;
          for (let kx = 0; kx < win.kW; kx++) {
            const xx = ox * win.strideW - win.pads[1] + kx * win.dilationW;
            if (xx >= 0 && xx < w) values.push(x.data[(plane * h + y) * w + xx]!);
          }
        }
        out[i++] = reduce(values, win);
      }
    }
  }
  return [{ dims: [n, c, win.outH, win.outW], data: out }];
}

export const maxPool = (context: NodeContext): FloatValue[] => pool(context, undefined, (values) => Math.max(...values));

export function averagePool(context: NodeContext): FloatValue[] {
  const includePad = context.int('count_include_pad', 0) !== 0;
  // count_include_pad counts the padding positions of the window (never the part beyond the padding).
  return pool(context, undefined, (values, win) => values.reduce((a, v) => a + v, 0) / (includePad ? win.kH * win.kW : values.length));
}

export function globalAveragePool(context: NodeContext): FloatValue[] {
  const [, , h, w] = imageDims(context, context.input(0));
  return pool(context, [h, w], (values) => values.reduce((a, v) => a + v, 0) / values.length);
}
