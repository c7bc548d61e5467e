/**
 * Transposing a matrix of bytes (attention's V_h into the rows of the reduction its P V matmul
 * reads): the golden model of the transpose kernel.
 */

/** `rows` rows of `cols` bytes into `cols` rows of `rows` bytes: out[c * rows + r] = in[r * cols + c]. */
export function goldenTranspose(rows: number, cols: number, input: Uint8Array): Uint8Array {
  if (input.length !== rows * cols) throw new RangeError(`transpose: ${input.length} bytes are not ${rows} x ${cols}`);
  const out = new Uint8Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = input[r * cols + c]!;
  return out;
}
