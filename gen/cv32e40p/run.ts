// Running an ELF program on the real CV32E40P: the Verilator model of the user's checkout
// (gen/cv32e40p/build.ts) with the project's memory map conventions (the stack pointer a program
// that sets none gets, the tohost mailbox), and the result read back from its driver.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hex } from '../../isa/bits.js';
import { readElf, type ElfImage } from '../../isa/elf/reader.js';
import type { GrantDelay } from '../../isa/platform/grant-delay.js';
import { initialStackPointer, singleCoreMemoryMap } from '../../isa/platform/memory-map.js';
import { runExecutable, withTempDir } from '../tools.js';
import { buildRtlModel } from './build.js';
import { RTL_STARTUP_CYCLES } from './divergence.js';
import type { TrapPolicy } from '../../isa/fault.js';


export interface RtlRunOptions {
  /** The CV32E40P checkout (upstream layout, or the flat copy of ../shared/cv32e40p). */
  readonly rtl: string;
  /** Cycle limit, 0 for none. */
  readonly maxCycles: number;
  /** Data-port grant delay; none unless given. */
  readonly grantDelay?: GrantDelay;
  /** Record every retirement and register write (slower for long programs). */
  readonly trace?: boolean;
  /** Bytes placed in memory before the run, besides the program (e.g. a kernel's inputs). */
  readonly inputs?: readonly { readonly address: number; readonly bytes: Uint8Array }[];
  /** What exceptions do, as the ISS's option (docs/iss.md#traps): 'auto' unless given. */
  readonly traps?: TrapPolicy;
}

/** How the RTL run ended. `pc` is the instruction that ended it (ecall, ebreak, illegal), else 0. */
export type RtlStop =
  | { readonly kind: 'exit'; readonly code: number }
  | { readonly kind: 'cycle-limit' }
  | { readonly kind: 'ebreak'; readonly pc: number }
  | { readonly kind: 'illegal-instruction'; readonly pc: number; readonly word: number }
  | { readonly kind: 'unsupported-ecall'; readonly pc: number; readonly a7: number };

export interface RtlRetirement {
  /** Cycle (from the first rising clock edge after reset) at which the instruction left the decode stage. */
  readonly cycle: number;
  readonly pc: number;
}

export interface RtlRegisterWrite {
  readonly cycle: number;
  readonly reg: number;
  readonly value: number;
}

export interface RtlRunResult {
  readonly stop: RtlStop;
  /**
   * Cycles from reset to the end: through the cycle of the store to tohost, or of the exit ecall
   * in the decode stage.
   */
  readonly cycles: number;
  /** Retired instructions (the core's minstret event; the exit ecall is not one). */
  readonly instret: number;
  /** The register file at the end, x0..x31. */
  readonly regs: readonly number[];
  /** What the program wrote (ecall write to fd 1 or 2, done by the testbench as on the ISS). */
  readonly output: string;
  /** With `trace` only. */
  readonly retired: readonly RtlRetirement[];
  readonly registerWrites: readonly RtlRegisterWrite[];
}

/** The image file of the driver: per segment (then per input) its address, its length and its bytes (.bss needs none: memory starts zeroed). */
function imageFile(image: ElfImage, inputs: RtlRunOptions['inputs'] = []): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const { address, bytes } of [...image.segments.map((s) => ({ address: s.address, bytes: s.data })), ...inputs]) {
    const header = new DataView(new ArrayBuffer(8));
    header.setUint32(0, address, true);
    header.setUint32(4, bytes.length, true);
    parts.push(new Uint8Array(header.buffer), bytes);
  }
  return Buffer.concat(parts);
}

function grantArgument(delay: GrantDelay | undefined): string {
  if (delay === undefined) return 'fixed:0';
  return delay.kind === 'fixed' ? `fixed:${delay.cycles}` : `random:${delay.seed >>> 0}:${delay.max}`;
}

const hexArgument = (value: number): string => (value >>> 0).toString(16);

/** Run the ELF executable `elf` on the CV32E40P RTL at `options.rtl`, building its model first if needed. */
export async function runOnRtl(elf: Uint8Array, options: RtlRunOptions): Promise<RtlRunResult> {
  const image = readElf(elf);
  const { executable } = await buildRtlModel(options.rtl);
  const tohost = image.symbols.get('tohost');
  const sp = initialStackPointer(singleCoreMemoryMap(image.entry), image.entry);
  return withTempDir('cv32e40p', async (dir) => {
    const imagePath = path.join(dir, 'image.bin');
    const tracePath = path.join(dir, 'trace.txt');
    writeFileSync(imagePath, imageFile(image, options.inputs));
    const args = [
      imagePath, hexArgument(image.entry), hexArgument(sp), tohost === undefined ? 'none' : hexArgument(tohost),
      String(options.maxCycles), grantArgument(options.grantDelay), options.trace ? tracePath : '-', String(RTL_STARTUP_CYCLES),
      options.traps ?? 'auto',
    ];
    const run = await runExecutable(executable, args, dir);
    if (run.code !== 0) throw new Error(`the CV32E40P model failed (exit ${run.code}): ${run.stderr.trim()}`);
    return { ...parseSummary(run.stdout), ...(options.trace ? parseTrace(readFileSync(tracePath, 'utf8')) : { retired: [], registerWrites: [] }) };
  });
}

function parseSummary(stdout: string): Omit<RtlRunResult, 'retired' | 'registerWrites'> {
  const match = /^stop (\S+) (\d+) ([0-9a-f]+) cycles (\d+) instret (\d+)\nregs((?: [0-9a-f]{8}){32})\noutput ([0-9a-f]*)\n$/.exec(stdout);
  if (!match) throw new Error(`unexpected output from the CV32E40P model: ${JSON.stringify(stdout.slice(0, 200))}`);
  const [, kind, value, pc, cycles, instret, regs, output] = match;
  return {
    stop: stopOf(kind!, Number(value), parseInt(pc!, 16)),
    cycles: Number(cycles),
    instret: Number(instret),
    regs: regs!.trim().split(' ').map((r) => parseInt(r, 16) | 0),
    output: Buffer.from(output!, 'hex').toString('utf8'),
  };
}

function stopOf(kind: string, value: number, pc: number): RtlStop {
  switch (kind) {
    case 'exit': return { kind, code: value | 0 };
    case 'cycle-limit': return { kind };
    case 'ebreak': return { kind, pc };
    case 'illegal-instruction': return { kind, pc, word: value };
    case 'unsupported-ecall': return { kind, pc, a7: value };
    default: throw new Error(`unknown stop '${kind}' from the CV32E40P model at ${hex(pc)}`);
  }
}

function parseTrace(text: string): Pick<RtlRunResult, 'retired' | 'registerWrites'> {
  const retired: RtlRetirement[] = [];
  const registerWrites: RtlRegisterWrite[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    if (fields[0] === 'r') retired.push({ cycle: Number(fields[1]), pc: parseInt(fields[2]!, 16) });
    else if (fields[0] === 'w') registerWrites.push({ cycle: Number(fields[1]), reg: Number(fields[2]), value: parseInt(fields[3]!, 16) | 0 });
  }
  return { retired, registerWrites };
}
