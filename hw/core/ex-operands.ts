// The operand ports every execution unit of the core takes from EX (docs/core.md): a = rs1,
// b = rs2, c = rd for the rows whose format reads it (accumulators, insert, pack hi/lo) else rs3,
// and the decoder's imm and imm2 slots, exactly as isa/decoder.ts decodes them.
import { type ModuleBuilder, UInt } from '../hdl/index.js';

export function exOperands(m: ModuleBuilder) {
  return {
    a: m.input('a', UInt(32)),
    b: m.input('b', UInt(32)),
    c: m.input('c', UInt(32)),
    imm: m.input('imm', UInt(32)),
    imm2: m.input('imm2', UInt(32)),
  };
}
