/**
 * The one definition of the platforms' address maps: the PULP cluster (L1 scratchpad, L2, this
 * project's peripheral block) and the riscv-tests / Spike RAM. The simulator, the assembler, the
 * kernels and the generated C header and linker script (`isa/platform/c-files.ts`) all read it here.
 * The peripheral layout is this project's own (documented in docs/iss.md), not the PULP SDK's.
 */
import type { Addr } from '../types.js';

/** A named RAM region of an address map. */
export interface RegionConfig {
  readonly name: string;
  readonly base: Addr;
  /** Size in bytes. */
  readonly size: number;
}

/** PULP cluster L1: the tightly coupled data memory (TCDM) shared by the cores. */
export const PULP_L1: RegionConfig = { name: 'l1', base: 0x1000_0000, size: 64 * 1024 };
/**
 * Sections placed in L1 rather than after the code (the assembler's placement and the linker
 * script follow it): `.l1` and `.l1.<anything>`, for data a program wants in the cluster's TCDM.
 */
export function isL1Section(name: string): boolean {
  return name === '.l1' || name.startsWith('.l1.');
}

/** PULP L2: program code and data, reached from the cluster through its interconnect. */
export const PULP_L2: RegionConfig = { name: 'l2', base: 0x1c00_0000, size: 512 * 1024 };
/** PULP cluster map: 64 KiB L1 scratchpad (TCDM) and 512 KiB L2, the memories the cores reach. */
export const PULP_MEMORY_MAP: readonly RegionConfig[] = [PULP_L1, PULP_L2];

/**
 * PULP L3: the external memory (HyperRAM on PULP chips) for weights and activations that do not
 * fit in L2. Only the cluster's DMA reaches it; the cores do not (an access there is an access
 * fault). 64 MiB: room for a whole network's weights and activations (ResNet-18 has 11 MB of int8
 * weights). It costs the simulator nothing until written (sim/cluster/paged-memory.ts).
 */
export const PULP_L3: RegionConfig = { name: 'l3', base: 0x2000_0000, size: 64 * 1024 * 1024 };
/**
 * Sections placed in L3, as `.l1` sections are in L1: `.l3` and `.l3.<anything>`, for a network's
 * weights and the activations that do not fit in L2.
 */
export function isL3Section(name: string): boolean {
  return name === '.l3' || name.startsWith('.l3.');
}

/** Bytes of L1 each cluster core gets for its stack, from the top of L1 down (core i below core i - 1). */
export const CORE_STACK_BYTES = 2048;

/** riscv-tests / Spike: RAM at 0x80000000. */
export const SPIKE_MEMORY_MAP: readonly RegionConfig[] = [{ name: 'dram', base: 0x8000_0000, size: 16 * 1024 * 1024 }];

/** Base of the cluster's peripheral block (barrier, DMA, timer) and its size in bytes. */
export const PERIPHERALS_BASE: Addr = 0x1020_0000;
export const PERIPHERALS_SIZE = 0x1000;

/**
 * Peripheral registers, as offsets from `PERIPHERALS_BASE` (32-bit accesses only).
 *
 * Barrier: a load from BARRIER returns 0 once every running core has loaded it; until then the
 * core waits (counted as barrier wait).
 *
 * DMA: write SRC, DST, LENGTH (bytes per row), and for 2D transfers ROWS, SRC_STRIDE, DST_STRIDE;
 * a store to START queues the transfer (ROWS reset to 1 afterwards). A load from START returns the
 * id of the last transfer queued (ids count from 1 in queue order), BUSY the number of transfers
 * not finished, and WAIT blocks the core until all are finished; a store of an id to WAIT_ID
 * blocks it until that transfer (and so every one queued before it) is finished, as PULP's
 * multi-channel DMA waits on a transfer id (both counted as DMA wait). Transfers run one after
 * another, concurrently with the cores.
 *
 * Timer: CYCLES_LO / CYCLES_HI read the cluster cycle counter.
 */
export const PERIPHERAL = {
  BARRIER: 0x000,
  DMA_SRC: 0x100,
  DMA_DST: 0x104,
  DMA_LENGTH: 0x108,
  DMA_ROWS: 0x10c,
  DMA_SRC_STRIDE: 0x110,
  DMA_DST_STRIDE: 0x114,
  DMA_START: 0x118,
  DMA_BUSY: 0x11c,
  DMA_WAIT: 0x120,
  DMA_WAIT_ID: 0x124,
  CYCLES_LO: 0x200,
  CYCLES_HI: 0x204,
} as const;

/**
 * The core-local interruptor (CLINT) of the RISC-V platforms, where Spike and QEMU's `virt` place
 * it: the machine timer and the software-interrupt bits of every hart, in every engine (the ISS,
 * alone and in the cluster, and the testbenches of the project's core and of the CV32E40P RTL).
 *
 * MSIP (+4 per hart): bit 0 drives the hart's software interrupt line (mip.MSIP, 3); the other
 * bits read 0. MTIMECMP (+8 per hart, low word first): the hart's timer line (mip.MTIP, 7) is
 * high while mtime >= mtimecmp; it resets to all ones (never). MTIME (low word first) counts clock
 * cycles: in the k-th cycle of a run, numbered from 1 as the ISS counts them (the cycle in which
 * the first instruction leaves decode is cycle 1), it reads k - 1, the cycles completed before, so
 * that it equals the run's reported cycles once the run ends; it is read-only here (writes are
 * ignored). A load reads the registers in the cycle it is granted (its EX cycle), a store changes
 * them at the end of that cycle. Other offsets of the window read 0 and ignore writes. The fast
 * interrupt lines 16..31 and the external line 11 have no source on this platform: they stay low.
 */
export const CLINT_BASE: Addr = 0x0200_0000;
/**
 * An mtimecmp at or beyond this is never reached (2^53 cycles): a wfi that only the timer could
 * wake then stops the run, as one with no line enabled does, in every engine.
 */
export const MTIMECMP_NEVER = 2 ** 53;
export const CLINT_SIZE = 0x1_0000;

/** `addr` lies in the CLINT's window. */
export function inClint(addr: Addr): boolean {
  return addr >= CLINT_BASE && addr < CLINT_BASE + CLINT_SIZE;
}
export const CLINT = {
  MSIP: 0x0000,
  MTIMECMP: 0x4000,
  MTIME: 0xbff8,
} as const;

/** The end of a region: its first address past the last byte. */
export function regionEnd(region: RegionConfig): Addr {
  return region.base + region.size;
}

/** The map one core runs a program in: the Spike RAM when the entry point lies in it, else the PULP map. */
export function singleCoreMemoryMap(entry: Addr): readonly RegionConfig[] {
  return SPIKE_MEMORY_MAP.some((r) => entry >= r.base && entry < r.base + r.size) ? SPIKE_MEMORY_MAP : PULP_MEMORY_MAP;
}

/** The stack of a program that sets none: the top of the region holding the entry point (else the first region), 16-byte aligned. */
export function initialStackPointer(map: readonly RegionConfig[], entry: Addr): number {
  const region = map.find((r) => entry >= r.base && entry < r.base + r.size) ?? map[0]!;
  return (region.base + region.size - 16) & ~15;
}
