/**
 * When the CV32E40P takes a machine-mode interrupt (docs/cv32e40p.md#interrupts), in the ISS's
 * cycle numbering: the lines come from a source (the platform's CLINT) as a function of the cycle;
 * the core registers them once (mip shows the registered lines), and its controller takes an
 * interrupt in the first cycle an instruction is in decode, not yet gone, while a registered line
 * is both pending and enabled in mie and mstatus.MIE is set. That instruction does not execute:
 * mepc names it.
 */
import type { Cycles } from '../../isa/types.js';
import { interruptPriority, IRQ_MASK } from '../../isa/csr-values.js';

/** Where a hart's interrupt lines come from. */
export interface InterruptSource {
  /** The lines (irq_i) of `hart` in cycle `cycle`. */
  lines(hart: number, cycle: Cycles): number;
  /** The first cycle from `cycle` on with a line of `mask` high, if the source would ever raise one by itself. */
  firstLineFrom(hart: number, cycle: Cycles, mask: number): Cycles | undefined;
}

/** The interrupt an instruction is replaced by: the cycle the controller takes it, the line. */
export interface TakenInterrupt {
  readonly cycle: Cycles;
  readonly line: number;
}

/**
 * The lines as the core sees them in cycle `cycle`: registered, so those of the cycle before,
 * restricted to the lines it implements (mip).
 */
export function registeredLines(source: InterruptSource, hart: number, cycle: Cycles): number {
  return source.lines(hart, cycle - 1) & IRQ_MASK;
}

/**
 * The interrupt taken while an instruction is in decode, from cycle `arrives` to cycle `leaves`
 * (both included), with `mie` and mstatus.MIE (`enabled`) as they stand for it, or undefined.
 */
export function interruptInDecode(
  source: InterruptSource,
  hart: number,
  window: { readonly arrives: Cycles; readonly leaves: Cycles },
  mie: number,
  enabled: boolean,
): TakenInterrupt | undefined {
  if (!enabled) return undefined;
  for (let cycle = Math.min(window.arrives, window.leaves); cycle <= window.leaves; cycle++) {
    const line = interruptPriority(registeredLines(source, hart, cycle) & mie);
    if (line !== undefined) return { cycle, line };
  }
  return undefined;
}
