// The core's control and status registers: the CSR set, reset values, WARL masks, illegal accesses
// and read values of the ISS (sim/core/csr-file.ts, values from isa/csr-values.ts), the 64-bit
// mcycle and minstret with mcountinhibit, the programmable counter mhpmcounter3 with its event
// selector mhpmevent3 (docs/cv32e40p.md#performance-counter), trap entry and mret. Xnmsparse
// revision 2 has no CSRs (its sums are x28..x31), so the core has the same CSR set with and without it.
//
// One access per instruction: `csr_access` is high in the one cycle the instruction executes its
// access; `csr_rdata` (the old value) and `csr_illegal` are combinational, the write happens at that
// clock edge. `csr_illegal` depends on `csr_addr` and `csr_op` only; an illegal access changes
// nothing. `id_csr_illegal` says the same of `id_csr_addr` and `id_csr_op`, the access of the
// instruction in decode, which the controller may trap on before it executes (controller.ts). The
// hardware-loop CSRs read the registers of hw/core/hwloop-regs.ts (inputs hwlp_*).
import { cat, defineModule, type Expr, type ModuleBuilder, mux, type Signal, U, UInt } from '../hdl/index.js';
import { CSR, csrName } from '../../isa/csr-names.js';
import {
  CV32E40P_ARCH_ID, CV32E40P_IMPLEMENTATION_ID, HPM_EVENT, IDLE_COUNTER_CSRS, IDLE_COUNTER_MIRRORS, IRQ_MASK, MCAUSE_MASK, MCOUNTINHIBIT_CYCLE_BIT,
  MCOUNTINHIBIT_HPM3_BIT, MCOUNTINHIBIT_INSTRET_BIT, MCOUNTINHIBIT_MASK, MHPMEVENT_MASK, MISA, MSTATUS_MIE_BIT, MSTATUS_MPIE_BIT, MSTATUS_RESET, MSTATUS_WRITABLE,
  MTVEC_BASE_MASK, MTVEC_MODE_MASK, MTVEC_RESET, OPENHW_VENDOR_ID, PRIVILEGE_MACHINE,
} from '../../isa/csr-values.js';
import { CSR_OP, CSR_OP_WIDTH } from './csr-ops.js';

/**
 * The pipeline's events for mhpmcounter3 come in on `hpm_events`, one bit per event of mhpmevent3
 * from the load-use stall (bit 2) up; the cycle (bit 0) and the retirement (bit 1, `retire`) the
 * unit has already.
 */
export const HPM_EVENT_INPUT_BASE = HPM_EVENT.loadStall;
export const HPM_EVENT_INPUT_WIDTH = 16 - HPM_EVENT_INPUT_BASE;

/** mepc holds even addresses only (the core has 16-bit instructions): bit 0 reads 0. */
const MEPC_MASK = ~1;

/** Inclusive address ranges. */
type CsrRanges = readonly (readonly [first: number, last: number])[];

interface CsrEntry {
  /** The entry's addresses. */
  readonly addrs: CsrRanges;
  readonly value: Expr;
  /** Those that may be written (none: a read-only entry). */
  readonly writable?: CsrRanges;
}

/** Comparators of one address input against address ranges: each address, each range compared once. */
function addressMatcher(m: ModuleBuilder, addr: Expr, prefix: string): (ranges: CsrRanges) => Expr {
  const singles = new Map<number, Expr>();
  const single = (at: number): Expr => {
    const existing = singles.get(at);
    if (existing) return existing;
    const created = m.node(`${prefix}sel_${csrName(at)}`, addr.eq(at));
    singles.set(at, created);
    return created;
  };
  const spans = new Map<readonly [number, number], Expr>();
  const span = (range: readonly [number, number]): Expr => {
    const [first, last] = range;
    if (first === last) return single(first);
    const existing = spans.get(range);
    if (existing) return existing;
    const created = m.node(`${prefix}sel_${csrName(first)}_${csrName(last)}`, addr.ge(first).and(addr.le(last)));
    spans.set(range, created);
    return created;
  };
  return (ranges) => ranges.map(span).reduce((a, b) => a.or(b));
}

export const CoreCsr = defineModule('CoreCsr', (m) => {
  const csrAccess = m.input('csr_access', UInt(1));
  const csrOp = m.input('csr_op', UInt(CSR_OP_WIDTH));
  const csrAddr = m.input('csr_addr', UInt(12));
  const csrWdata = m.input('csr_wdata', UInt(32));
  const csrRdata = m.output('csr_rdata', UInt(32));
  const csrIllegal = m.output('csr_illegal', UInt(1));
  const idCsrOp = m.input('id_csr_op', UInt(CSR_OP_WIDTH));
  const idCsrAddr = m.input('id_csr_addr', UInt(12));
  const idCsrIllegal = m.output('id_csr_illegal', UInt(1));
  const retire = m.input('retire', UInt(1));
  // Like `retire`, registered a cycle after the event in the pipeline: a CSR instruction in EX
  // sees the events of the older instructions and its own decode stall.
  const hpmEvents = m.input('hpm_events', UInt(HPM_EVENT_INPUT_WIDTH));
  const trap = m.input('trap', UInt(1));
  const trapCause = m.input('trap_cause', UInt(5));
  const trapPc = m.input('trap_pc', UInt(32));
  const trapTval = m.input('trap_tval', UInt(32));
  // The trap is an interrupt: mcause's bit 31 (trap_cause is then the line).
  const trapInterrupt = m.input('trap_interrupt', UInt(1));
  // The registered interrupt lines (hw/core/int-controller.ts), which mip reads.
  const irqPending = m.input('irq_pending', UInt(32));
  // The core sleeps in wfi with its clock gated (the CV32E40P's sleep unit): the counters stand still.
  const clockGated = m.input('clock_gated', UInt(1));
  const mret = m.input('mret', UInt(1));
  const hartId = m.input('hart_id', UInt(32));
  const hwlpStart0 = m.input('hwlp_start0', UInt(32));
  const hwlpEnd0 = m.input('hwlp_end0', UInt(32));
  const hwlpCount0 = m.input('hwlp_count0', UInt(32));
  const hwlpStart1 = m.input('hwlp_start1', UInt(32));
  const hwlpEnd1 = m.input('hwlp_end1', UInt(32));
  const hwlpCount1 = m.input('hwlp_count1', UInt(32));
  const mtvec = m.output('mtvec', UInt(32));
  const mtvecVectored = m.output('mtvec_vectored', UInt(1));
  const mepc = m.output('mepc', UInt(32));
  // For the interrupt controller: mie with this cycle's write applied, and mstatus.MIE.
  const mieBypass = m.output('mie_bypass', UInt(32));
  const mstatusMieOut = m.output('mstatus_mie_o', UInt(1));

  const bit = (value: number, index: number): number => (value >>> index) & 1;
  const word = (value: number): Expr => U(value >>> 0, 32);
  const mstatusMie = m.reg('mstatus_mie', UInt(1), { reset: bit(MSTATUS_RESET, MSTATUS_MIE_BIT) });
  const mstatusMpie = m.reg('mstatus_mpie', UInt(1), { reset: bit(MSTATUS_RESET, MSTATUS_MPIE_BIT) });
  // Every register resets to 0, as the ISS's CSR file starts. WARL registers are written through
  // their mask: the bits outside it are constant 0 flip-flops, which synthesis removes.
  const csrReg = (name: string): Signal => m.reg(name, UInt(32), { reset: 0 });
  const mieQ = csrReg('mie_q');
  // mtvec keeps its base and mode bit (isa/csr-values.ts); exceptions go to the base in both modes.
  const mtvecQ = m.reg('mtvec_q', UInt(32), { reset: MTVEC_RESET });
  const mscratchQ = csrReg('mscratch_q');
  const mepcQ = csrReg('mepc_q');
  const mcauseQ = csrReg('mcause_q');
  const mtvalQ = csrReg('mtval_q');
  const mcountinhibitQ = csrReg('mcountinhibit_q');
  const cycleLow = csrReg('mcycle_q');
  const cycleHigh = csrReg('mcycleh_q');
  const instretLow = csrReg('minstret_q');
  const instretHigh = csrReg('minstreth_q');
  const hpmLow = csrReg('mhpmcounter3_q');
  const hpmHigh = csrReg('mhpmcounter3h_q');
  // Only the event bits hold a value; the others are constant 0 flip-flops, which synthesis removes.
  const mhpmeventQ = csrReg('mhpmevent3_q');

  const any = (values: readonly Expr[]): Expr => values.reduce((a, b) => a.or(b));
  const only = (addr: number): CsrRanges => [[addr, addr]];
  /** A read/write CSR at `addr`. */
  const readWrite = (addr: number, value: Expr): CsrEntry => ({ addrs: only(addr), value, writable: only(addr) });
  /** A read-only CSR at each of `addrs` (user mirrors, identification, hardware loops). */
  const readOnly = (addrs: readonly number[], value: Expr): CsrEntry => ({ addrs: addrs.map((addr) => [addr, addr] as const), value });
  /** A machine counter half and its user mirror, which is read-only. */
  const counter = (machine: number, user: number, value: Expr): CsrEntry => ({ addrs: [...only(machine), ...only(user)], value, writable: only(machine) });

  const mstatus = word(MSTATUS_RESET & ~MSTATUS_WRITABLE)
    .or(mstatusMie.zext(32).shl(MSTATUS_MIE_BIT))
    .or(mstatusMpie.zext(32).shl(MSTATUS_MPIE_BIT));
  const entries: CsrEntry[] = [
    readWrite(CSR.mstatus, mstatus),
    readWrite(CSR.misa, word(MISA)), // WARL, fixed: writes are ignored
    readWrite(CSR.mie, mieQ),
    readWrite(CSR.mtvec, mtvecQ),
    readWrite(CSR.mcountinhibit, mcountinhibitQ),
    readWrite(CSR.mscratch, mscratchQ),
    readWrite(CSR.mepc, mepcQ),
    readWrite(CSR.mcause, mcauseQ),
    readWrite(CSR.mtval, mtvalQ), // only a trap writes it; csrw is ignored, as in the ISS
    readOnly([CSR.mip], irqPending),
    counter(CSR.mcycle, CSR.cycle, cycleLow),
    counter(CSR.mcycleh, CSR.cycleh, cycleHigh),
    counter(CSR.minstret, CSR.instret, instretLow),
    counter(CSR.minstreth, CSR.instreth, instretHigh),
    counter(CSR.mhpmcounter3, CSR.hpmcounter3, hpmLow),
    counter(CSR.mhpmcounter3h, CSR.hpmcounter3h, hpmHigh),
    readWrite(CSR.mhpmevent3, mhpmeventQ),
    readOnly([CSR.lpstart0], hwlpStart0),
    readOnly([CSR.lpend0], hwlpEnd0),
    readOnly([CSR.lpcount0], hwlpCount0),
    readOnly([CSR.lpstart1], hwlpStart1),
    readOnly([CSR.lpend1], hwlpEnd1),
    readOnly([CSR.lpcount1], hwlpCount1),
    readOnly([CSR.mhartid, CSR.uhartid], hartId),
    readOnly([CSR.privlv], word(PRIVILEGE_MACHINE)),
    readOnly([CSR.mvendorid], word(OPENHW_VENDOR_ID)),
    readOnly([CSR.marchid], word(CV32E40P_ARCH_ID)),
    readOnly([CSR.mimpid], word(CV32E40P_IMPLEMENTATION_ID)),
    // They exist but count nothing: read 0, writes ignored; their user mirrors read 0.
    { addrs: IDLE_COUNTER_CSRS, value: word(0), writable: IDLE_COUNTER_CSRS },
    { addrs: IDLE_COUNTER_MIRRORS, value: word(0) },
  ];

  /** An access `op` at the address `select` compares: whether it writes, to a writable CSR, or is illegal (no CSR there, or a write to a read-only one). */
  const access = (select: (ranges: CsrRanges) => Expr, op: Expr, prefix: string): { writes: Expr; writable: Expr; illegal: Expr } => {
    const readable = m.node(`${prefix}readable`, any(entries.map((e) => select(e.addrs))));
    const writable = m.node(`${prefix}writable`, any(entries.flatMap((e) => (e.writable ? [select(e.writable)] : []))));
    const writes = m.node(`${prefix}writes`, op.ne(CSR_OP.read));
    return { writes, writable, illegal: readable.not().or(writes.and(writable.not())) };
  };
  const select = addressMatcher(m, csrAddr, '');
  const executed = access(select, csrOp, '');
  csrIllegal.assign(executed.illegal);
  idCsrIllegal.assign(access(addressMatcher(m, idCsrAddr, 'id_'), idCsrOp, 'id_').illegal);
  const readValue = m.node('read_value', any(entries.map((e) => mux(select(e.addrs), e.value, word(0)))));
  csrRdata.assign(readValue);

  const writeValue = m.wire('write_value', UInt(32));
  m.switch(csrOp)
    .is(CSR_OP.set, () => writeValue.assign(readValue.or(csrWdata)))
    .is(CSR_OP.clear, () => writeValue.assign(readValue.and(csrWdata.not())))
    .default(() => writeValue.assign(csrWdata));
  const writing = m.node('writing', csrAccess.and(executed.writes).and(executed.writable));
  const writeTo = (addr: number): Expr => writing.and(select(only(addr)));

  const masked = (mask: number): Expr => writeValue.and(word(mask));
  m.when(writeTo(CSR.mstatus), () => {
    mstatusMie.assign(writeValue.bit(MSTATUS_MIE_BIT));
    mstatusMpie.assign(writeValue.bit(MSTATUS_MPIE_BIT));
  });
  m.when(writeTo(CSR.mie), () => mieQ.assign(masked(IRQ_MASK)));
  m.when(writeTo(CSR.mtvec), () => mtvecQ.assign(writeValue.and(word(MTVEC_BASE_MASK | MTVEC_MODE_MASK))));
  m.when(writeTo(CSR.mscratch), () => mscratchQ.assign(writeValue));
  m.when(writeTo(CSR.mepc), () => mepcQ.assign(masked(MEPC_MASK)));
  m.when(writeTo(CSR.mcause), () => mcauseQ.assign(masked(MCAUSE_MASK)));
  m.when(writeTo(CSR.mcountinhibit), () => mcountinhibitQ.assign(masked(MCOUNTINHIBIT_MASK)));
  m.when(writeTo(CSR.mhpmevent3), () => mhpmeventQ.assign(masked(MHPMEVENT_MASK)));

  // As the CV32E40P's counters: a write of either half replaces the increment of its cycle (the
  // other half keeps its value), and mcountinhibit and mhpmevent3 act from the cycle after their
  // write. The ISS's counters read the same (sim/core/csr-file.ts, its write sources).
  const count = (name: string, low: Signal, high: Signal, addrs: { low: number; high: number }, event: Expr, inhibitBit: number): void => {
    const written = m.node(`${name}_written`, writeTo(addrs.low).or(writeTo(addrs.high)));
    const increment = event.and(mcountinhibitQ.bit(inhibitBit).not()).and(written.not()).and(clockGated.not());
    const base = cat(mux(writeTo(addrs.high), writeValue, high), mux(writeTo(addrs.low), writeValue, low));
    const next = m.node(`${name}_next`, base.add(increment.zext(64)));
    low.assign(next.bits(31, 0));
    high.assign(next.bits(63, 32));
  };
  count('mcycle', cycleLow, cycleHigh, { low: CSR.mcycle, high: CSR.mcycleh }, U(1, 1), MCOUNTINHIBIT_CYCLE_BIT);
  count('minstret', instretLow, instretHigh, { low: CSR.minstret, high: CSR.minstreth }, retire, MCOUNTINHIBIT_INSTRET_BIT);
  // mhpmcounter3 counts a cycle in which any event mhpmevent3 selects is active.
  const activeEvents = m.node('hpm_active', cat(hpmEvents, retire, U(1, 1)));
  const selectedEvent = m.node('hpm_selected', activeEvents.and(mhpmeventQ.bits(15, 0)).orR());
  count('mhpmcounter3', hpmLow, hpmHigh, { low: CSR.mhpmcounter3, high: CSR.mhpmcounter3h }, selectedEvent, MCOUNTINHIBIT_HPM3_BIT);

  // mret and trap entry, after the CSR writes so that they win (the pipeline never gives both).
  m.when(mret, () => {
    mstatusMie.assign(mstatusMpie);
    mstatusMpie.assign(1);
  });
  m.when(trap, () => {
    mstatusMpie.assign(mstatusMie);
    mstatusMie.assign(0);
    mepcQ.assign(trapPc.and(word(MEPC_MASK)));
    mcauseQ.assign(cat(trapInterrupt, U(0, 26), trapCause));
    mtvalQ.assign(trapTval);
  });

  mtvec.assign(mtvecQ.and(word(MTVEC_BASE_MASK)));
  mtvecVectored.assign(mtvecQ.bit(0));
  mepc.assign(mepcQ);
  mieBypass.assign(mux(writeTo(CSR.mie), masked(IRQ_MASK), mieQ));
  mstatusMieOut.assign(mstatusMie);

  return {
    csrAccess, csrOp, csrAddr, csrWdata, csrRdata, csrIllegal, idCsrOp, idCsrAddr, idCsrIllegal, retire, hpmEvents, trap, trapCause, trapPc, trapTval, trapInterrupt, irqPending, clockGated, mret, hartId,
    hwlpStart0, hwlpEnd0, hwlpCount0, hwlpStart1, hwlpEnd1, hwlpCount1, mtvec, mtvecVectored, mepc, mieBypass, mstatusMieOut,
  };
});
