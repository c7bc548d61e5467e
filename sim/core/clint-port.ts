/**
 * A lone hart's data port with the platform's CLINT in its window (isa/platform/memory-map.ts,
 * CLINT_BASE): loads and stores there reach the device in the cycle they are granted, everything
 * else goes to the memory behind. The cluster reaches the same device through its own port.
 */
import type { AccessSize, Addr, Cycles, Word } from '../../isa/types.js';
import { CLINT_BASE, CLINT_SIZE } from '../../isa/platform/memory-map.js';
import type { Bus } from './bus.js';
import type { Clint } from '../../isa/platform/clint.js';
import { DataPort } from './data-port.js';

/** What the port needs of its hart: the cycle the current data access is granted in. */
export interface AccessTiming {
  readonly dataAccessCycle: Cycles;
}

export function inClint(addr: Addr): boolean {
  return addr >= CLINT_BASE && addr < CLINT_BASE + CLINT_SIZE;
}

export class ClintPort extends DataPort {
  hart!: AccessTiming;

  constructor(
    memory: Bus,
    readonly clint: Clint,
  ) {
    super(memory);
  }

  read(addr: Addr, size: AccessSize, signed: boolean): Word {
    if (!inClint(addr)) return this.memory.read(addr, size, signed);
    const value = this.clint.read(addr - CLINT_BASE, size, this.hart.dataAccessCycle);
    if (size === 4 || !signed) return value;
    const unused = 32 - 8 * size;
    return (value << unused) >> unused;
  }

  write(addr: Addr, size: AccessSize, value: Word): void {
    if (inClint(addr)) this.clint.write(addr - CLINT_BASE, size, value, this.hart.dataAccessCycle);
    else this.memory.write(addr, size, value);
  }
}
