/**
 * The platform's CLINT (isa/platform/clint.ts) as a lone hart's memory sees it: a device in its
 * window (isa/platform/memory-map.ts, CLINT_BASE) that MappedMemory asks once no RAM region holds
 * an access, read and written in the cycle the access is granted. The cluster reaches the same
 * model through its cores' ports (sim/cluster/core-port.ts).
 */
import type { AccessSize, Addr, Cycles, Word } from '../../isa/types.js';
import { CLINT_BASE, inClint } from '../../isa/platform/memory-map.js';
import type { Clint } from '../../isa/platform/clint.js';
import type { MemoryDevice } from './memory.js';

/** What the device needs of its hart: the cycle the current data access is granted in. */
export interface AccessTiming {
  readonly dataAccessCycle: Cycles;
}

export class ClintDevice implements MemoryDevice {
  hart!: AccessTiming;

  constructor(readonly clint: Clint) {}

  holds(addr: Addr, size: number): boolean {
    return inClint(addr) && inClint(addr + size - 1);
  }

  read(addr: Addr, size: AccessSize, signed: boolean): Word {
    return this.clint.read(addr - CLINT_BASE, size, this.hart.dataAccessCycle, signed);
  }

  write(addr: Addr, size: AccessSize, value: Word): void {
    this.clint.write(addr - CLINT_BASE, size, value, this.hart.dataAccessCycle);
  }
}
