/**
 * A lone hart's data port with grant delays (isa/platform/grant-delay.ts): each bus transaction
 * of a load or store waits for its grant, charged to the hart's current instruction like the
 * cluster's bank conflicts (sim/cluster/core-port.ts). A misaligned access crossing a word
 * boundary is two transactions, each with its own delay, unless its first word is outside memory.
 */
import type { AccessSize, Addr, Word } from '../../isa/types.js';
import { grantDelays, type GrantDelay } from '../../isa/platform/grant-delay.js';
import type { ArchitecturalState } from './architectural-state.js';
import type { Bus } from './bus.js';
import { DataPort } from './data-port.js';

export class DelayedGrantBus extends DataPort {
  hart!: ArchitecturalState;
  private readonly nextDelay: () => number;

  constructor(memory: Bus, delay: GrantDelay) {
    super(memory);
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
    // The core sends the second transaction only after the first was answered without an error.
    if (split && this.memory.find(addr, 4 - (addr & 3)) !== undefined) {
      const second = this.nextDelay();
      wait += second;
      this.hart.secondWait += second;
    }
    this.hart.dataWait += wait;
  }
}
