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
  // Per output plane, each weight is applied to the whole range of output pixels whose input
  // position is inside the image: no bounds test in the inner loop.
  const plane = new Float64Array(win.outH * win.outW);
  const validRange = (offset: number, stride: number, size: number, outSize: number): [number, number] => [
    Math.max(0, Math.ceil(-offset / stride)),
    Math.min(outSize - 1, Math.floor((size - 1 - offset) / stride)),
  ];
  for (let b = 0; b < n; b++) {
    for (let o = 0; o < outC; o++) {
      plane.fill(bias ? bias.data[o]! : 0);
      const firstC = Math.floor(o / outPerGroup) * groupC;
      for (let ci = 0; ci < groupC; ci++) {
        const inPlane = (b * c + firstC + ci) * h * w;
        for (let ky = 0; ky < kH; ky++) {
          const offsetY = ky * win.dilationH - win.pads[0];
          const [oy0, oy1] = validRange(offsetY, win.strideH, h, win.outH);
          for (let kx = 0; kx < kW; kx++) {
            const weightValue = weight.data[((o * groupC + ci) * kH + ky) * kW + kx]!;
            const offsetX = kx * win.dilationW - win.pads[1];
            const [ox0, ox1] = validRange(offsetX, win.strideW, w, win.outW);
            for (let oy = oy0; oy <= oy1; oy++) {
              const row = inPlane + (oy * win.strideH + offsetY) * w + offsetX;
              const outRow = oy * win.outW;
              for (let ox = ox0; ox <= ox1; ox++) plane[outRow + ox]! += weightValue * x.data[row + ox * win.strideW]!;
            }
          }
        }
      }
      out.set(plane, (b * outC + o) * plane.length);
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
