/**
 * A lone hart's data port with grant delays (isa/platform/grant-delay.ts): each bus transaction
 * of a load or store waits for its grant, charged to the hart's current instruction like the
 * cluster's bank conflicts (sim/cluster/core-port.ts). A misaligned access crossing a word
 * boundary is two transactions, each with its own delay. Instruction fetches (`find`, `peek16`)
 * and the environment's block copies (`readBytes`, `writeBytes`) are not data-port requests.
 */
import type { AccessSize, Addr, Word } from '../../isa/types.js';
import { grantDelays, type GrantDelay } from '../../isa/platform/grant-delay.js';
import type { ArchitecturalState } from './architectural-state.js';
import type { Bus } from './bus.js';
import type { MemoryRegion } from './memory-region.js';

export class DelayedGrantBus implements Bus {
  hart!: ArchitecturalState;
  private readonly nextDelay: () => number;

  constructor(
    private readonly memory: Bus,
    delay: GrantDelay,
  ) {
    this.nextDelay = grantDelays(delay);
  }

  read(addr: Addr, size: AccessSize, signed: boolean): Word {
    this.waitForGrants(addr, size);
    return this.memory.read(addr, size, signed);
  }

  write(addr: Addr, size: AccessSize, value: Word): void {
    this.waitForGrants(addr, size);
    this.memory.write(addr, size, value);
  }

  private waitForGrants(addr: Addr, size: AccessSize): void {
    const split = (addr & 3) + size > 4;
    let wait = this.nextDelay();
    if (split) wait += this.nextDelay();
    this.hart.dataWait += wait;
  }

  find(addr: Addr, size: number): MemoryRegion | undefined {
    return this.memory.find(addr, size);
  }

  peek16(addr: Addr): number | undefined {
    return this.memory.peek16(addr);
  }

  readBytes(addr: Addr, length: number): Uint8Array {
    return this.memory.readBytes(addr, length);
  }

  writeBytes(addr: Addr, data: Uint8Array): void {
    this.memory.writeBytes(addr, data);
  }
}
