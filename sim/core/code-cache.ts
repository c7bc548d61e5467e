/**
 * Where a hart's instructions come from: each one is decoded on first use and kept in the code
 * page (64 KiB, sim/core/code-page.ts) of its memory region (stores into the region drop it, see
 * MemoryRegion.invalidate), and hot straight-line code starting at an address is compiled into a
 * Block once execution has arrived there often enough. The Hart asks this cache for the
 * instruction or block at pc and runs it; what it means to run one is not this file's job.
 *
 * The arrays of the page the hart last ran from are copied into fields, so that the lookups the
 * hart makes per instruction (`at`, `blockAt`, `runsAheadAt`) are a subtraction and an array read,
 * small enough for V8 to inline into the hart's loop; leaving the page costs a region and page
 * look-up (`enter`).
 */
import { hex } from '../../isa/bits.js';
import { decode, instructionLength } from '../../isa/decoder.js';
import type { DecodedInstruction, InstructionDef } from '../../isa/definition.js';
import { disassemble, formatInstruction, instructionHex } from '../../isa/disassembler.js';
import { Fault, TRAP_CAUSE } from '../../isa/fault.js';
import type { InstructionTable } from '../../isa/table.js';
import type { Addr, HwLoopRegs } from '../../isa/types.js';
import { Block, isBlockBranch, isBlockTransfer, isStraightLine, MAX_BLOCK_LENGTH, runsAhead } from './block.js';
import type { Bus } from './bus.js';
import type { CodePage } from './code-page.js';
import type { MemoryRegion } from './memory-region.js';

/**
 * Arrivals at an address, per hart sharing the code, before the block starting there is compiled:
 * code run once is not worth it (compiling a block costs as much as interpreting it hundreds of
 * times). The cores of a cluster share their code pages and so the count: a network's per-tile
 * code that each core runs once would be compiled after half of them passed, for nothing.
 */
const COMPILE_AFTER_VISITS = 4;

/**
 * The rows a hart implements when it implements fewer than its table decodes (`nmsparse sim
 * --strict-core`: the project's core, whose rows only the caller knows). Any other row is an
 * illegal instruction, reported with its mnemonic and who lacks it.
 */
export interface ImplementedRows {
  readonly rows: ReadonlySet<InstructionDef>;
  /** Who implements only these rows, for the error: "the project's core (--strict-core)". */
  readonly machine: string;
}

/** The instruction at a pc as far as fetching it got, for a fault report. */
export interface FetchedInstruction {
  /** Undefined when the fetch failed before reading a word. */
  readonly word: number | undefined;
  readonly disassembly: string;
}

export class CodeCache {
  /** Arrivals at an address before its block is compiled. */
  private readonly compileAfter: number;
  /** The page the hart last ran from, whose arrays are tried first (empty until a decode). */
  private base = 0;
  private size = 0;
  private decoded: (DecodedInstruction | undefined)[] = [];
  private blocks: (Block | null | undefined)[] = [];
  private visits: Uint8Array = new Uint8Array(0);
  /** The word read by the last decode, kept for the fault report when it does not decode. */
  private lastWord: number | undefined;

  constructor(
    private readonly memory: Bus,
    private readonly table: InstructionTable,
    /** The hart's loops: a block ends at the end of an active one. */
    private readonly loops: HwLoopRegs,
    private readonly implemented?: ImplementedRows,
    /** Harts sharing the code pages, and so the visit counts (a cluster's cores). */
    sharingCode = 1,
  ) {
    this.compileAfter = COMPILE_AFTER_VISITS * sharingCode;
  }

  /** The instruction at pc, for execution: pc's page becomes the one tried first. */
  at(pc: Addr): DecodedInstruction {
    const index = this.indexOf(pc);
    return (index >= 0 ? this.decoded[index] : undefined) ?? this.enterAndDecode(pc);
  }

  /** The decoded instruction at `addr` in any region, decoding and caching it on first use. */
  fetch(addr: Addr): DecodedInstruction {
    return this.cached(addr) ?? this.decode(addr);
  }

  /** `fetch` for a look that must not fault: undefined where fetching or decoding faults. */
  peek(addr: Addr): DecodedInstruction | undefined {
    try {
      return this.fetch(addr);
    } catch (error) {
      if (error instanceof Fault) return undefined;
      throw error;
    }
  }

  /** Whether the instruction at pc is already decoded and one a cluster core may run past its shared limit (see runsAhead). */
  runsAheadAt(pc: Addr): boolean {
    let index = this.indexOf(pc);
    if (index < 0) index = this.enter(pc);
    const insn = index >= 0 ? this.decoded[index] : undefined;
    return insn !== undefined && runsAhead(insn);
  }

  /** The compiled block starting at pc, compiling it on the visit that makes the address hot. */
  blockAt(pc: Addr): Block | undefined {
    const index = this.indexOf(pc);
    if (index < 0) return this.enter(pc) < 0 ? undefined : this.blockAt(pc);
    const block = this.blocks[index];
    if (block !== undefined) return block ?? undefined;
    if (++this.visits[index]! < this.compileAfter) return undefined;
    // Building may decode in the next page and make it the one tried first.
    const blocks = this.blocks;
    return (blocks[index] = this.build(pc)) ?? undefined;
  }

  /**
   * The instruction at pc for a report (a fault, or where a stopped run would go on): decoded
   * unless that fails, and then the word as far as it was read.
   */
  describe(pc: Addr): FetchedInstruction {
    const insn = this.peek(pc);
    const word = insn?.word ?? this.lastWord;
    const disassembly = insn ? formatInstruction(insn) : word === undefined ? '<not fetched>' : disassemble(this.table, word, pc);
    return { word, disassembly };
  }

  /**
   * The halfword index of pc in the arrays tried first, or -1 when pc is outside them (then
   * `enter`). It is also -1 for an odd pc, which no program can reach: decoding it faults.
   */
  private indexOf(pc: Addr): number {
    const offset = pc - this.base;
    return offset >= 0 && offset < this.size && (offset & 1) === 0 ? offset >>> 1 : -1;
  }

  /** The instruction at pc outside the arrays tried first: in the page it enters, or decoded. */
  private enterAndDecode(pc: Addr): DecodedInstruction {
    const index = this.enter(pc);
    return (index >= 0 ? this.decoded[index] : undefined) ?? this.decode(pc);
  }

  /**
   * Make the page holding pc the one tried first, if code was decoded there: the halfword index
   * of pc in it, or -1 (no such page, or an odd pc).
   */
  private enter(pc: Addr): number {
    const region = this.memory.find(pc, 2);
    const page = region?.codePage(pc - region.base);
    if (!page || (pc & 1) !== 0) return -1;
    this.use(page);
    return (pc - page.base) >>> 1;
  }

  private use(page: CodePage): void {
    this.base = page.base;
    this.size = page.size;
    this.decoded = page.decoded;
    this.blocks = page.blocks;
    this.visits = page.visits;
  }

  /** The instruction at addr if it is decoded; never one whose fetch faulted or whose word the decoder rejects. */
  decodedAt(addr: Addr): DecodedInstruction | undefined {
    return this.cached(addr);
  }

  private cached(addr: Addr): DecodedInstruction | undefined {
    const region = this.memory.find(addr, 2);
    if (!region || addr % 2 !== 0) return undefined;
    const page = region.codePage(addr - region.base);
    return page?.decoded[(addr - page.base) >>> 1];
  }

  private decode(addr: Addr): DecodedInstruction {
    this.lastWord = undefined;
    if (addr % 2 !== 0) throw new Fault('misaligned-access', `instruction fetch from odd address ${hex(addr)}`);
    const region = this.memory.find(addr, 2);
    if (!region) throw this.memory.fetchFault(addr);
    const offset = addr - region.base;
    const low = region.view.getUint16(offset, true);
    let word = low;
    if (instructionLength(low) === 4) {
      if (offset + 4 > region.size) throw new Fault('memory-access', `instruction at ${hex(addr)} runs past the end of ${region.name}`, TRAP_CAUSE.instructionAccessFault);
      word = region.view.getUint32(offset, true);
    }
    this.lastWord = word;
    const insn = decode(this.table, word, addr);
    if (!insn) throw new Fault('illegal-instruction', `illegal instruction ${instructionHex(word)}`);
    // Checked before the instruction is cached, so every fetch of it fails alike.
    if (this.implemented && !this.implemented.rows.has(insn.def)) {
      throw new Fault('illegal-instruction', `${insn.def.mnemonic} (${insn.def.extension}) is not implemented by ${this.implemented.machine}`);
    }
    const page = region.allocateCodePage(offset);
    page.decoded[(addr - page.base) >>> 1] = insn;
    this.use(page);
    return insn;
  }

  /**
   * The longest run from `start` within its region of straight-line instructions and conditional
   * branches (isBlockBranch), ending at the end of an active hardware loop, at MAX_BLOCK_LENGTH or
   * with a jump it compiles (isBlockTransfer); null when the instruction at `start` cannot begin
   * one. Undecodable bytes end the block before them (they may be data).
   */
  private build(start: Addr): Block | null {
    const region = this.memory.find(start, 2);
    const insns: DecodedInstruction[] = [];
    for (let addr = start; region !== undefined && addr < region.end && insns.length < MAX_BLOCK_LENGTH; ) {
      const insn = this.peek(addr);
      if (insn === undefined || (!isStraightLine(insn) && !isBlockTransfer(insn))) break;
      insns.push(insn);
      addr += insn.length;
      // A conditional branch leaves the block only when taken: the block goes on after it.
      if ((isBlockTransfer(insn) && !isBlockBranch(insn)) || this.endsActiveLoop(addr)) break;
    }
    return insns.length === 0 || region === undefined ? null : new Block(insns, region.epoch, insns.map((insn) => this.unalignedTarget(insn, region)), region.templates);
  }

  /**
   * For a conditional branch: whether its target is a 32-bit instruction at an address that is 2 mod
   * 4 (Block.unalignedTargets), when that can be known for as long as the block lives: always for a
   * word-aligned target; for another, once the instruction there is decoded in the block's region
   * (decoding it here if need be). Undefined otherwise, and for other instructions.
   */
  private unalignedTarget(insn: DecodedInstruction, region: MemoryRegion): boolean | undefined {
    if (!isBlockBranch(insn)) return undefined;
    const target = (insn.pc + insn.imm) >>> 0;
    if ((target & 2) === 0) return false;
    if (target < region.base || target + 4 > region.end) return undefined;
    const decoded = this.peek(target);
    return decoded === undefined ? undefined : decoded.length === 4;
  }

  private endsActiveLoop(addr: Addr): boolean {
    const loops = this.loops;
    return (loops.count[0] !== 0 && loops.end[0] === addr) || (loops.count[1] !== 0 && loops.end[1] === addr);
  }
}
