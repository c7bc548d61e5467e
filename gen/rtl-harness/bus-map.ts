// What the testbenches of the project's core answer on each OBI port: the address windows of the
// ISS's memory for the program (isa/platform/memory-map.ts singleCoreMemoryMap, the map
// sim/core/memory.ts builds), so that a program reaching outside them gets the access fault it gets
// on the ISS (docs/iss.md#traps) instead of zeros. A transaction whose word lies in no window is
// answered with an error response (OBI's `err` with `rvalid`) and a store there writes nothing.
//
// Data: the RAM regions and the CLINT (the device the ISS asks once no region holds an access).
// Fetch: the RAM regions and the testbench's own ecall handler at mtvec = 0
// (environment-call.ts), which stands for the ISS's environment; the ISS fetches from RAM only.
//
// The ISS faults an access unless one window holds all its bytes; the core splits an access that
// crosses a word into two transactions, the lower word first. A split access whose second word is
// in another window (or none) therefore faults on the ISS with nothing written: the testbench
// holds back the first half of such a store and answers the second with the error.
import { CLINT_BASE, CLINT_SIZE, type RegionConfig, regionEnd, singleCoreMemoryMap } from '../../isa/platform/memory-map.js';
import type { Addr } from '../../isa/types.js';
import { ECALL_HANDLER_BASE, ECALL_HANDLER_END } from './environment-call.js';

/** Bytes [base, end) answered on a port. Bases and ends are multiples of 4: whole words. */
export interface BusWindow {
  readonly base: Addr;
  readonly end: Addr;
}

export interface BusMap {
  readonly data: readonly BusWindow[];
  readonly fetch: readonly BusWindow[];
}

const windowOf = (region: RegionConfig): BusWindow => ({ base: region.base, end: regionEnd(region) });

/** The windows each port answers for a program entered at `entry`. */
export function busMap(entry: Addr): BusMap {
  const ram = singleCoreMemoryMap(entry).map(windowOf);
  return {
    data: [...ram, { base: CLINT_BASE, end: CLINT_BASE + CLINT_SIZE }],
    fetch: [...ram, { base: ECALL_HANDLER_BASE, end: ECALL_HANDLER_END }],
  };
}

/** The index of the window holding the word at `address` (any byte of it), or -1. */
export function windowIndex(windows: readonly BusWindow[], address: Addr): number {
  const word = (address & ~3) >>> 0;
  return windows.findIndex((w) => word >= w.base && word < w.end);
}

/**
 * Whether a store transaction to the word at `address` writes: its word in a window, and for the
 * first half of a split access (`splitFirst`), the next word in the same one (else the ISS's store
 * faults as a whole).
 */
export function storeWrites(windows: readonly BusWindow[], address: Addr, splitFirst: boolean): boolean {
  const index = windowIndex(windows, address);
  return index >= 0 && (!splitFirst || windowIndex(windows, ((address & ~3) + 4) >>> 0) === index);
}

/** The windows as the C++ drivers' MAP arguments take them: "BASE:END,..." in hex. */
export function windowsArgument(windows: readonly BusWindow[]): string {
  return windows.map((w) => `${(w.base >>> 0).toString(16)}:${(w.end >>> 0).toString(16)}`).join(',');
}
