/**
 * What an instruction's semantics raise when it cannot complete: the kind of exception and what
 * went wrong, nothing about where. The simulator that ran the instruction adds the site (core, pc,
 * word, cycle) before a user sees it.
 */
export type FaultKind =
  | 'illegal-instruction'
  | 'memory-access'
  | 'misaligned-access'
  | 'hwloop-constraint'
  | 'environment';

export class Fault extends Error {
  constructor(
    readonly kind: FaultKind,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'Fault';
  }
}
