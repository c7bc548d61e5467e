// What the execution blocks of both Xnmsparse revisions offer a CV32E40P-class pipeline the way its
// load unit does: an OBI-style data port (req/gnt, then rvalid/err/rdata), a precise-exception port,
// the states of one access in flight, and the exception causes a load raises.
import type { ModuleBuilder } from '../hdl/index.js';
import { UInt } from '../hdl/index.js';

/** The access in flight: none, requested and waiting for the grant (e.g. a TCDM bank conflict), granted and waiting for rvalid. */
export const ACCESS = { idle: 0, request: 1, response: 2 } as const;

/** RISC-V exception causes of a load. */
export const CAUSE = { loadMisaligned: 4, loadAccessFault: 5 } as const;

/** The data port's signals, declared on `m` (names as CV32E40P's OBI data interface, data_*). */
export function dataPort(m: ModuleBuilder) {
  return {
    req: m.output('data_req', UInt(1)),
    addr: m.output('data_addr', UInt(32)),
    be: m.output('data_be', UInt(4)),
    gnt: m.input('data_gnt', UInt(1)),
    rvalid: m.input('data_rvalid', UInt(1)),
    err: m.input('data_err', UInt(1)),
    rdata: m.input('data_rdata', UInt(32)),
  };
}

/** The exception port: a cause and mtval for the instruction that faulted. */
export function exceptionPort(m: ModuleBuilder) {
  return {
    valid: m.output('exc_valid', UInt(1)),
    cause: m.output('exc_cause', UInt(5)),
    tval: m.output('exc_tval', UInt(32)),
  };
}
