/**
 * The tensors of an operator kernel in L1, at addresses the caller (the network compiler, a test)
 * chose: each must lie inside L1, and the output may not overlap an input, but for an element-wise
 * operator that reads every element before it writes it, whose output may be one of its inputs
 * (computed in place).
 */
import { PULP_L1 } from '../../../isa/platform/memory-map.js';
import type { Addr } from '../../../isa/types.js';

export interface Region {
  readonly name: string;
  readonly address: Addr;
  readonly bytes: number;
}

const describe = (r: Region): string => `${r.name} (0x${r.address.toString(16)}, ${r.bytes} bytes)`;

/** Throws a RangeError naming the operator and the region at fault. */
export function checkRegions(op: string, inputs: readonly Region[], output: Region, inPlace: boolean): void {
  for (const r of [...inputs, output]) {
    if (!Number.isInteger(r.address) || r.address < PULP_L1.base || r.address + r.bytes > PULP_L1.base + PULP_L1.size) {
      throw new RangeError(`${op}: ${describe(r)} does not lie in L1 (0x${PULP_L1.base.toString(16)}, ${PULP_L1.size} bytes)`);
    }
  }
  for (const input of inputs) {
    const overlaps = output.address < input.address + input.bytes && input.address < output.address + output.bytes;
    const same = inPlace && output.address === input.address && output.bytes === input.bytes;
    if (overlaps && !same) throw new RangeError(`${op}: the output ${describe(output)} overlaps the input ${describe(input)}${inPlace ? ' without being it' : ''}`);
  }
}

/** Throws unless `value` is an integer in [min, max]. */
export function checkInteger(op: string, name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${op}: ${name} must be an integer from ${min} to ${max}, not ${value}`);
}

