/**
 * A hart's data port in front of a memory. What a port adds to data accesses (grant delays, bank
 * arbitration, peripherals) is its own `read` and `write`; instruction fetch and pre-decode
 * (`find`, `peek16`) and the environment's block copies (`readBytes`, `writeBytes`) are not
 * data-port requests and go straight to the memory behind it.
 */
import type { AccessSize, Addr, Word } from '../../isa/types.js';
import type { Bus } from './bus.js';
import type { MemoryRegion } from './memory-region.js';
import type { Fault } from '../../isa/fault.js';
import type { DirectPath } from './block.js';

export abstract class DataPort<M extends Bus = Bus> implements Bus {
  constructor(protected readonly memory: M) {}

  /** Bus.direct: none unless the port says so (a port adds to accesses what the memory does not). */
  get direct(): DirectPath | undefined {
    return undefined;
  }

  abstract read(addr: Addr, size: AccessSize, signed: boolean): Word;
  abstract write(addr: Addr, size: AccessSize, value: Word): void;

  find(addr: Addr, size: number): MemoryRegion | undefined {
    return this.memory.find(addr, size);
  }

  fetchFault(addr: Addr): Fault {
    return this.memory.fetchFault(addr);
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
