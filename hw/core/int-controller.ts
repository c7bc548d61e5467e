// The interrupt controller, as the CV32E40P's: the lines of `irq_i` the core keeps (IRQ_MASK: 16
// fast lines, external, software, timer) are registered once, and mip shows the registered lines.
// A request goes to the controller while a registered line is enabled in mie and mstatus.MIE is
// set; mie is taken with a write of it in EX this very cycle already applied (the CSR unit's bypass),
// so an instruction right after `csrw mie` is interrupted by what it enabled and not by what it
// disabled. The line taken is the highest by priority: the fast lines from 31 down to 16, then
// external (11), software (3), timer (7). A sleeping core wakes on the lines as they come in,
// before the register, enabled in mie whatever mstatus.MIE says (docs/cv32e40p.md#interrupts).
import { type Expr, type ModuleBuilder, mux, U, UInt } from '../hdl/index.js';
import { IRQ_LINE, IRQ_MASK } from '../../isa/csr-values.js';

export interface InterruptInputs {
  /** irq_i: the lines as they come in. */
  readonly lines: Expr;
  /** mie, with a write in EX this cycle applied. */
  readonly enabled: Expr;
  /** mstatus.MIE. */
  readonly globalEnable: Expr;
}

export interface InterruptOutputs {
  /** The registered lines the core keeps: mip. */
  readonly pending: Expr;
  /** An interrupt is to be taken (pending, enabled, and mstatus.MIE). */
  readonly request: Expr;
  /** The line it is taken for. */
  readonly id: Expr;
  /** A line enabled in mie is high: a sleeping core wakes. */
  readonly wake: Expr;
}

/** The lines in the order they win, highest first: the fast lines by number, then 11, 3, 7. */
const PRIORITY: readonly number[] = [
  ...Array.from({ length: 32 - IRQ_LINE.firstFast }, (_, i) => 31 - i),
  IRQ_LINE.external,
  IRQ_LINE.software,
  IRQ_LINE.timer,
];

export function interruptController(m: ModuleBuilder, s: InterruptInputs): InterruptOutputs {
  const mask = U(IRQ_MASK >>> 0, 32);
  const pending = m.reg('irq_q', UInt(32), { reset: 0 });
  pending.assign(s.lines.and(mask));
  const qualified = m.node('irq_qualified', pending.and(s.enabled));
  // A chain of muxes from the lowest priority up, so that the highest pending line is outermost.
  const id = PRIORITY.slice().reverse().reduce<Expr>((lower, line) => mux(qualified.bit(line), U(line, 5), lower), U(IRQ_LINE.timer, 5));
  return {
    pending,
    request: m.node('irq_request', qualified.orR().and(s.globalEnable)),
    id: m.node('irq_id', id),
    wake: m.node('irq_wake', s.lines.and(mask).and(s.enabled).orR()),
  };
}
