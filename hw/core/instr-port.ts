// The OBI instruction port (names as CV32E40P's instr_*), declared on a module: the core's fetch
// stage and its prefetch buffer, which drives it, both have it.
import { type ModuleBuilder, UInt } from '../hdl/index.js';

export function instructionPort(m: ModuleBuilder) {
  return {
    instrReq: m.output('instr_req', UInt(1)),
    instrAddr: m.output('instr_addr', UInt(32)),
    instrGnt: m.input('instr_gnt', UInt(1)),
    instrRvalid: m.input('instr_rvalid', UInt(1)),
    instrRdata: m.input('instr_rdata', UInt(32)),
    instrErr: m.input('instr_err', UInt(1)),
  };
}
