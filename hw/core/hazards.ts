// Decode-stage hazards and forwarding of a CV32E40P-class pipeline (docs/cv32e40p.md#timing).
//
// Results written from execute (ALU, multiplier, divider, CSR reads, post-incremented bases, jump
// links) reach decode's operands through a forwarding path in the cycle they are computed; load data
// reaches them from writeback. So only loads stall: an instruction in decode that reads the
// register the load in execute will write (its data arrives one stage later), or that writes the
// same register from execute (x0 included: the core compares the addresses without excluding it),
// waits one cycle. jalr computes its target in decode from the register file itself, without
// forwarding, so it waits until every older write of its rs1 has landed; this check reads the word
// in the decode register even when that word is no longer valid, as the CV32E40P's does, which
// makes a jalr whose link register is its base wait one more cycle after it jumped.
import { SUM_COUNT, SUM_FIRST_REGISTER } from '../../isa/xnmsparse/mac.js';
import { type Expr, type ModuleBuilder, mux } from '../hdl/index.js';

/** A register read by the instruction in decode: its address and whether the instruction uses it. */
export interface SourceRead {
  readonly addr: Expr;
  readonly used: Expr;
}

/** A register write in flight in a later stage. */
export interface PendingWrite {
  readonly enable: Expr;
  readonly addr: Expr;
}

/** `read` names `write`'s register, x0 aside. */
export function sameRegister(m: ModuleBuilder, name: string, read: SourceRead, write: PendingWrite): Expr {
  return m.node(name, write.enable.and(read.used).and(read.addr.eq(write.addr)).and(read.addr.ne(0)));
}

/** The newest value of a source: execute's result, else writeback's load data, else the register file. */
export function forwarded(
  m: ModuleBuilder,
  name: string,
  read: SourceRead,
  fromFile: Expr,
  ex: PendingWrite & { readonly data: Expr },
  wb: PendingWrite & { readonly data: Expr },
): Expr {
  const hitEx = sameRegister(m, `${name}_fw_ex`, read, ex);
  const hitWb = sameRegister(m, `${name}_fw_wb`, read, wb);
  return m.node(name, mux(hitEx, ex.data, mux(hitWb, wb.data, fromFile)));
}

export interface LoadStallInputs {
  /** The instruction in execute is a load into a register (its data comes in writeback). */
  readonly exLoad: PendingWrite;
  /** Writeback still waits for a load's data. */
  readonly wbWaiting: PendingWrite;
  readonly sources: readonly SourceRead[];
  /** The instruction in decode writes this register from execute (valid, being decoded). */
  readonly exWrite: PendingWrite;
}

export function loadStall(m: ModuleBuilder, s: LoadStallInputs): Expr {
  const reads = (load: PendingWrite, tag: string): Expr =>
    s.sources.map((src, i) => sameRegister(m, `load_stall_${tag}_src${i}`, src, load)).reduce((a, b) => a.or(b));
  const overwrite = m.node('load_stall_waw', s.exLoad.enable.and(s.exWrite.enable).and(s.exLoad.addr.eq(s.exWrite.addr)));
  return m.node('load_stall', reads(s.exLoad, 'ex').or(reads(s.wbWaiting, 'wb')).or(overwrite));
}

export interface JalrStallInputs {
  /** The word in decode is a jalr (whether valid or not). */
  readonly isJalr: Expr;
  readonly base: SourceRead;
  /** Every write of a register not yet in the register file: execute's, a load in execute, writeback's. */
  readonly writes: readonly PendingWrite[];
}

export function jalrStall(m: ModuleBuilder, s: JalrStallInputs): Expr {
  const pending = s.writes.map((w, i) => sameRegister(m, `jr_stall_w${i}`, s.base, w)).reduce((a, b) => a.or(b));
  return m.node('jr_stall', s.isJalr.and(pending));
}

export interface SumStallInputs {
  /** An nm.mac4 / nm.mul4 is in EX or WB: x28..x31 are about to change. */
  readonly busy: Expr;
  /** The registers the instruction in decode names (sources and destination) and whether it does. */
  readonly named: readonly SourceRead[];
}

/** The register address is one of the sums x28..x31 (an aligned group: its upper bits say so). */
function isSumRegister(addr: Expr): Expr {
  const low = Math.log2(SUM_COUNT);
  if (!Number.isInteger(low) || SUM_FIRST_REGISTER % SUM_COUNT !== 0) throw new Error('internal: the sum registers must be an aligned power-of-two group');
  return addr.bits(4, low).eq(SUM_FIRST_REGISTER >>> low);
}

/**
 * Xnmsparse revision 2 (docs/isa-extension.md R2.6): an instruction that names one of x28..x31
 * waits in decode while an nm.mac4 / nm.mul4 is in EX or WB, since the sums are written at the end
 * of WB and never forwarded.
 */
export function sumStall(m: ModuleBuilder, s: SumStallInputs): Expr {
  const names = s.named.map((r, i): Expr => m.node(`sum_named${i}`, r.used.and(isSumRegister(r.addr)))).reduce((a, b) => a.or(b));
  return m.node('sum_stall', s.busy.and(names));
}
