/**
 * Every memory of the cluster as the DMA and the ELF loader reach it: the cores' L1 and L2 (their
 * MappedMemory, whose writes drop pre-decoded code) and the L3 that only the DMA reaches.
 */
import type { Addr } from '../../isa/types.js';
import type { RegionConfig } from '../../isa/platform/memory-map.js';
import type { MappedMemory } from '../core/memory.js';
import type { LoadTarget } from '../program.js';
import type { DmaMemory } from './dma.js';
import type { PagedMemory } from './paged-memory.js';

export class SystemMemory implements LoadTarget, DmaMemory {
  readonly regions: readonly RegionConfig[];

  constructor(
    private readonly cores: MappedMemory,
    private readonly l3: PagedMemory,
  ) {
    this.regions = [...cores.regions, l3];
  }

  find(addr: Addr, size: number): RegionConfig | undefined {
    return this.l3.holds(addr, size) ? this.l3 : this.cores.find(addr, size);
  }

  readBytes(addr: Addr, length: number): Uint8Array {
    return this.l3.holds(addr, length) ? this.l3.readBytes(addr, length) : this.cores.readBytes(addr, length);
  }

  writeBytes(addr: Addr, data: Uint8Array): void {
    if (this.l3.holds(addr, data.length)) this.l3.writeBytes(addr, data);
    else this.cores.writeBytes(addr, data);
  }
}
