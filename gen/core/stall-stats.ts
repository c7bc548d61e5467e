// Where the core's cycles go, observed on its signals, in the rows of the ISS's `--stats` table
// (sim/simulate.ts formatStats). Each testbench takes, every cycle from the first instruction on
// (the write handler's cycles aside), the bits of STALL_SIGNALS and the cause of the last fetch
// redirect, and counts the cycles per key; `stallRows` turns the counts into the table's rows. A
// cycle in which an instruction leaves decode is an instruction's; any other is a bubble, charged
// to what held decode:
//   the controller outside DECODE (a trap, mret, fence, status-CSR flush)   csr/fence flush
//   a taken branch in EX (drops the instruction in decode)                   branch penalty
//   EX busy: the LSU waiting for a grant, or a load for its data             memory wait
//            the LSU's second transaction of a misaligned access             misaligned
//            a multi-cycle unit (mulh, divide)                                mulh/div extra
//   a load-use hazard, or Xnmsparse's: a sum register named, or the
//   multiplier wanted, while an nm.mac4 is in EX or WB (as the ISS counts it) load-use stalls
//   jalr waiting for its base                                                 jump penalty
//   decode empty while fetch refills after a redirect: by what redirected it (branch, jump, controller)

/** Signals of the core's top module a testbench observes, bit i of the key being signal i. */
export const STALL_SIGNALS = [
  'trace_leave', 'id_valid', 'ctrl_in_decode', 'branch_taken_ex', 'jump_in_decode', 'load_stall', 'jr_stall',
  'ex_valid', 'ex_ready', 'ex_in_lsu', 'wb_waiting', 'data_req', 'data_gnt',
  // A hardware loop's back edge taken as a jump from decode after a flush (hw/core/loop-decode.ts).
  'back_edge_jump',
  // Xnmsparse's waits behind nm.mac4 (0 on the core without it).
  'sum_stall', 'lane_stall',
] as const;

type StallSignal = (typeof STALL_SIGNALS)[number];
const bit = (name: StallSignal): number => 1 << STALL_SIGNALS.indexOf(name);

/** Bits of the key above the signals: what last redirected fetch. */
export const REDIRECT_SHIFT = 30;
export const Redirect = { none: 0, branch: 1, jump: 2, controller: 3 } as const;

/** The redirect cause after a cycle with `bits`, given the one before (`previous`). */
export function redirectAfter(bits: number, previous: number): number {
  if (bits & bit('branch_taken_ex')) return Redirect.branch;
  if (bits & (bit('jump_in_decode') | bit('back_edge_jump'))) return Redirect.jump;
  if (!(bits & bit('ctrl_in_decode'))) return Redirect.controller;
  return previous;
}

/** The same, as a C++ expression over `bits` and `cause` (the Verilator driver's copy of redirectAfter). */
export const REDIRECT_AFTER_CPP = `(bits & ${bit('branch_taken_ex')}u) ? ${Redirect.branch}u : (bits & ${bit('jump_in_decode') | bit('back_edge_jump')}u) ? ${Redirect.jump}u : !(bits & ${bit('ctrl_in_decode')}u) ? ${Redirect.controller}u : cause`;

/** The rows of the ISS's table the core's bubbles fall in, and one for what fits none. */
export const STALL_ROWS = ['load-use stalls', 'branch penalty', 'jump penalty', 'mulh/div extra', 'misaligned', 'csr/fence flush', 'memory wait', 'other'] as const;
export type StallRow = (typeof STALL_ROWS)[number];

/** The row of a cycle's key, or undefined for an instruction's cycle. */
export function stallRow(key: number): StallRow | undefined {
  const has = (name: StallSignal): boolean => (key & bit(name)) !== 0;
  if (has('trace_leave')) return undefined;
  if (!has('ctrl_in_decode')) return 'csr/fence flush';
  if (has('id_valid')) {
    if (has('branch_taken_ex')) return 'branch penalty';
    // EX busy first: an instruction waiting in decode for a multi-cycle result waits for EX.
    if (has('ex_valid') && !has('ex_ready')) {
      if (has('ex_in_lsu')) return has('data_req') && !has('data_gnt') ? 'memory wait' : 'misaligned';
      return has('wb_waiting') ? 'memory wait' : 'mulh/div extra';
    }
    if (has('load_stall') || has('sum_stall') || has('lane_stall')) return 'load-use stalls';
    if (has('jr_stall')) return 'jump penalty';
    return 'other';
  }
  switch (key >>> REDIRECT_SHIFT) {
    case Redirect.branch: return 'branch penalty';
    case Redirect.jump: return 'jump penalty';
    case Redirect.controller: return 'csr/fence flush';
    default: return 'other';
  }
}

/** Cycles per row from the counts per key. */
export function stallRows(counts: ReadonlyMap<number, number>): Record<StallRow, number> {
  const rows = Object.fromEntries(STALL_ROWS.map((r) => [r, 0])) as Record<StallRow, number>;
  for (const [key, count] of counts) {
    const row = stallRow(key);
    if (row !== undefined) rows[row] += count;
  }
  return rows;
}
