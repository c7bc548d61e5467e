/**
 * What a hart needs from the memory system. `MappedMemory` is the plain single-core implementation; the
 * cluster gives each core a port that adds bank arbitration, L2 latency and peripherals.
 */
import type { AccessSize, Addr, Word } from '../../isa/types.js';
import type { MemoryRegion } from './memory-region.js';
import type { Fault } from '../../isa/fault.js';
import type { DirectPath } from './block.js';

export interface Bus {
  read(addr: Addr, size: AccessSize, signed: boolean): Word;
  write(addr: Addr, size: AccessSize, value: Word): void;
  /** The RAM region holding [addr, addr + size): instruction fetch and pre-decode go through it. */
  find(addr: Addr, size: number): MemoryRegion | undefined;
  /** The access fault of an instruction fetch at `addr`, which `find` found in no region: it says why. */
  fetchFault(addr: Addr): Fault;
  /** A halfword if mapped, else undefined (timing look-ahead that must not fault). */
  peek16(addr: Addr): number | undefined;
  readBytes(addr: Addr, length: number): Uint8Array;
  writeBytes(addr: Addr, data: Uint8Array): void;
  /**
   * Where compiled blocks may make an aligned access in one transaction themselves (DataAccess):
   * given by a memory that does nothing to such an access within one of its regions but make it
   * wait (a plain memory, which never makes it wait; a cluster core's port); undefined otherwise.
   */
  readonly direct: DirectPath | undefined;
}
