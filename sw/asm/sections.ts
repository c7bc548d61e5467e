/**
 * Sections: their flags (from the name, or a `.section` flag string), their contents as the
 * statements append to them, and their placement in memory after a sizing pass. A section has
 * storage only in the emitting pass; while sizing, appending only counts bytes.
 */
import type { Addr } from '../../isa/types.js';
import type { AssembledSection, SectionFlags } from '../../isa/elf/image.js';
import { isL1Section, isL3Section, PULP_L1, PULP_L3, PULP_MEMORY_MAP, SPIKE_MEMORY_MAP } from '../../isa/platform/memory-map.js';
import { AsmError, SourceError, type SourceLocation } from './errors.js';

const NOP = 0x00000013;
const C_NOP = 0x0001;

/**
 * The most bytes a section may hold: the largest memory of the platforms (the cluster's 64 MiB L3). A
 * bigger section could not be loaded anywhere; it comes from a mistyped count or alignment
 * (`.space 0x7fffffff`, `.p2align 40`), which would otherwise take minutes and gigabytes to emit.
 */
const MAX_SECTION_BYTES = Math.max(...[...PULP_MEMORY_MAP, PULP_L3, ...SPIKE_MEMORY_MAP].map((region) => region.size));
const ADDRESS_SPACE_END = 2 ** 32;

function flagsFor(name: string, flagText?: string): SectionFlags {
  if (flagText !== undefined) {
    const f = flagText.replace(/"/g, '');
    return { exec: f.includes('x'), write: f.includes('w'), nobits: /^\.s?bss/.test(name) };
  }
  if (/^\.text/.test(name)) return { exec: true, write: false, nobits: false };
  if (/^\.s?bss/.test(name)) return { exec: false, write: true, nobits: true };
  if (/^\.rodata/.test(name)) return { exec: false, write: false, nobits: false };
  return { exec: false, write: true, nobits: false };
}

export class Section {
  /** Bytes appended so far in the current pass. */
  size = 0;
  align = 4;
  address = 0;
  /** The contents, allocated for the emitting pass. */
  private bytes: Uint8Array | undefined;

  constructor(
    readonly name: string,
    readonly flags: SectionFlags,
    /** Where the section first appears, for placement errors. */
    readonly location: SourceLocation,
  ) {}

  /** The address of the next byte appended. */
  get end(): Addr {
    return this.address + this.size;
  }

  /** Append `size` bytes of `value`, little-endian; only zeros can go into a nobits section. */
  put(value: number, size: 1 | 2 | 4): void {
    this.makeRoom(size);
    if (this.bytes && !this.flags.nobits) {
      for (let i = 0; i < size; i++) this.bytes[this.size + i] = (value >>> (8 * i)) & 0xff;
    } else if (this.bytes && value !== 0) {
      throw new SourceError(`section ${this.name} holds no data; only zeros can be reserved there`);
    }
    this.size += size;
  }

  /** Append `count` bytes of `fill` (`.space`). */
  reserve(count: number, fill: number): void {
    if (count < 0) throw new SourceError(`the byte count must not be negative, got ${count}`);
    this.makeRoom(count);
    if (this.bytes && this.flags.nobits && fill !== 0 && count > 0) throw new SourceError(`section ${this.name} holds no data; only zeros can be reserved there`);
    if (this.bytes && !this.flags.nobits) this.bytes.fill(fill & 0xff, this.size, this.size + count);
    this.size += count;
  }

  /** Pad to a multiple of `alignment` and make the section at least that aligned. */
  alignTo(alignment: number): void {
    if (alignment < 1 || alignment > 2 ** 31 || !Number.isInteger(Math.log2(alignment))) throw new SourceError(`alignment ${alignment} is not a power of two from 1 to 2^31`);
    this.makeRoom((alignment - (this.size % alignment)) % alignment);
    this.align = Math.max(this.align, alignment);
    // Executable padding is made of nops, so falling through it is harmless.
    while (this.size % alignment !== 0) {
      const gap = alignment - (this.size % alignment);
      if (this.flags.exec && this.size % 4 === 0 && gap >= 4) this.put(NOP, 4);
      else if (this.flags.exec && this.size % 2 === 0 && gap >= 2) this.put(C_NOP, 2);
      else this.put(0, 1);
    }
  }

  private makeRoom(bytes: number): void {
    if (this.size + bytes > MAX_SECTION_BYTES) {
      throw new SourceError(`section ${this.name} would grow to ${this.size + bytes} bytes, more than the largest memory of the platforms (${MAX_SECTION_BYTES} bytes)`);
    }
  }

  /** Give the section storage for the size the sizing passes settled on. */
  allocate(): void {
    this.bytes = new Uint8Array(this.size);
  }

  /** The section as the ELF writer takes it (after the emitting pass). */
  output(): AssembledSection {
    return { name: this.name, address: this.address, size: this.size, bytes: this.bytes!, flags: this.flags, align: this.align };
  }
}

/** Every section of a program, in order of first appearance. */
export class Sections {
  private readonly byName = new Map<string, Section>();

  /** The named section, created at `location` with flags from its name or `flagText` when first seen. */
  get(name: string, location: SourceLocation, flagText?: string): Section {
    let section = this.byName.get(name);
    if (!section) {
      section = new Section(name, flagsFor(name, flagText), location);
      this.byName.set(name, section);
    }
    return section;
  }

  /** Empty every section for the next pass. */
  rewind(): void {
    for (const section of this.byName.values()) section.size = 0;
  }

  /** Give every section storage for the emitting pass. */
  allocate(): void {
    for (const section of this.byName.values()) section.allocate();
  }

  /** The sections that hold something, in order. */
  nonEmpty(): Section[] {
    return [...this.byName.values()].filter((s) => s.size > 0);
  }

  /**
   * Give each non-empty section its address: the fixed one if given; for a cluster-L1 section
   * (`.l1`, `.l1.*`, the platform's convention, as in sw/platform/link.ld) the next free address
   * after the previous L1 section, from the base of L1; likewise for an L3 section (`.l3`, `.l3.*`)
   * from the base of L3; else the next free address after the previous section (aligned), starting
   * at `base`.
   */
  place(base: Addr, fixed: Readonly<Record<string, Addr>> | undefined): void {
    const cursors = { other: base, l1: PULP_L1.base, l3: PULP_L3.base };
    const placed: Section[] = [];
    for (const section of this.nonEmpty()) {
      const region = isL1Section(section.name) ? 'l1' : isL3Section(section.name) ? 'l3' : 'other';
      section.address = fixed?.[section.name] ?? Math.ceil(cursors[region] / section.align) * section.align;
      cursors[region] = section.end;
      if (section.end > ADDRESS_SPACE_END) throw new AsmError(section.location, `section ${section.name} at 0x${section.address.toString(16)} (${section.size} bytes) runs past the end of the 32-bit address space`);
      const clash = placed.find((o) => section.address < o.end && o.address < section.end);
      if (clash) throw new AsmError(section.location, `sections ${clash.name} and ${section.name} overlap`);
      placed.push(section);
    }
  }
}
