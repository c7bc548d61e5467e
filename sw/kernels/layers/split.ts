/**
 * Dividing a layer's work between the cores: contiguous ranges of output pixels (or of output
 * channels when there are too few pixels), in whole units of the kernel's register block so that
 * only the last range of the layer has a tail.
 */

export interface Range {
  readonly start: number;
  readonly count: number;
}

/**
 * `count` items in `parts` contiguous ranges whose sizes are multiples of `granule` (but for the
 * range holding the last item), as equal as whole granules allow; ranges may be empty.
 */
export function splitRange(count: number, parts: number, granule = 1): Range[] {
  const units = Math.ceil(count / granule);
  const ranges: Range[] = [];
  let start = 0;
  for (let part = 0; part < parts; part++) {
    const size = Math.floor(units / parts) + (part < units % parts ? 1 : 0);
    const end = Math.min(count, start + size * granule);
    ranges.push({ start, count: end - start });
    start = end;
  }
  return ranges;
}
