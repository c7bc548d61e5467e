// What the execution blocks of both Xnmsparse revisions share with a CV32E40P-class load unit: an
// OBI-style data port (req/gnt, then rvalid/err/rdata), a precise-exception port, and the one data
// access in flight between them (issue, wait for the grant, wait for the response) with the
// exceptions a load raises. Each block adds what it keeps of the access and what it does with the
// returned word.
import type { Expr, ModuleBuilder } from '../hdl/index.js';
import { mux, U, UInt } from '../hdl/index.js';

/** The access in flight: none, requested and waiting for the grant (e.g. a TCDM bank conflict), granted and waiting for rvalid. */
const ACCESS = { idle: 0, request: 1, response: 2 } as const;

/** RISC-V exception causes of a load. */
const CAUSE = { loadMisaligned: 4, loadAccessFault: 5 } as const;

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

/**
 * One data access at a time through `data`, its faults through `exception`. The status nodes come
 * first, since a block decides from them whether it accepts an instruction; `issue` then drives the
 * port: an accepted instruction (`fire`) at `address` traps at once when `misaligned`, else starts
 * the access (the returned `start`, in which cycle the block registers what it keeps of the
 * instruction). A response with an error raises a load access fault with the access's address.
 */
export function loadAccess(m: ModuleBuilder, data: ReturnType<typeof dataPort>, exception: ReturnType<typeof exceptionPort>) {
  const state = m.reg('state', UInt(2), { reset: ACCESS.idle });
  // The in-flight address: no reset needed, it is only read while state says it is valid.
  const addrQ = m.reg('addr_q', UInt(32));
  const idle = m.node('idle', state.eq(ACCESS.idle));
  const requesting = m.node('requesting', state.eq(ACCESS.request));
  const returned = m.node('returned', state.eq(ACCESS.response).and(data.rvalid));
  const completes = m.node('completes', returned.and(data.err.not()));
  const faults = m.node('faults', returned.and(data.err));

  function issue(fire: Expr, address: Expr, misaligned: Expr): { readonly start: Expr; readonly address: Expr } {
    const trap = m.node('misaligned', fire.and(misaligned));
    const start = m.node('start', fire.and(misaligned.not()));
    const current = m.node('address', mux(requesting, addrQ, address));
    data.req.assign(start.or(requesting));
    data.addr.assign(current);
    m.when(start, () => {
      addrQ.assign(address);
      state.assign(mux(data.gnt, U(ACCESS.response, 2), U(ACCESS.request, 2)));
    })
      .elseWhen(requesting.and(data.gnt), () => state.assign(ACCESS.response))
      .elseWhen(returned, () => state.assign(ACCESS.idle));
    exception.valid.assign(trap.or(faults));
    exception.cause.assign(mux(faults, U(CAUSE.loadAccessFault, 5), U(CAUSE.loadMisaligned, 5)));
    exception.tval.assign(mux(faults, addrQ, address));
    return { start, address: current };
  }

  return { idle, completes, addrQ, issue };
}
