/**
 * Rounding to the nearest integer, ties to even: ONNX's QuantizeLinear and onnxruntime's weight
 * and bias quantization round this way (numpy.rint), so the quantizer does too.
 */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction !== 0.5) return Math.round(x);
  return floor % 2 === 0 ? floor : floor + 1;
}
