// The TypeScript side of the Verilator testbench drivers' command line and report
// (gen/rtl-harness/driver-support.ts): the program image file, the arguments, and the parse of
// the summary and the trace into an RtlRunResult.
import type { TrapPolicy } from '../../isa/fault.js';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hex } from '../../isa/bits.js';
import { readElf, type ElfImage } from '../../isa/elf/reader.js';
import type { GrantDelay } from '../../isa/platform/grant-delay.js';
import { initialStackPointer, singleCoreMemoryMap } from '../../isa/platform/memory-map.js';
import { runExecutable, withTempDir } from '../tools.js';
import { busMap, windowsArgument } from './bus-map.js';
import { ecallHandlerSegment, ECALL_HANDLER_BASE, ECALL_HANDLER_END } from './environment-call.js';
import type { RtlInput, RtlRegisterWrite, RtlRetirement, RtlRunResult, RtlStop } from './run-result.js';

export interface DriverRun {
  /** Cycle limit, 0 for none. */
  readonly maxCycles: number;
  /** Data-port grant delay; none unless given. */
  readonly grantDelay?: GrantDelay;
  /** Record every retirement and register write (slower for long programs). */
  readonly trace?: boolean;
  readonly inputs?: readonly RtlInput[];
  /** mcycle after reset (negative: the core's start-up cycles the ISS does not count). */
  readonly mcycleStart: number;
  /** The ISS's trap policy, for a driver that can let its core take traps; 'stop' unless given. */
  readonly traps?: TrapPolicy;
}

/** The program's segments and the inputs, refusing a program that overlaps the ecall handler. */
export function imageSegments(image: ElfImage, inputs: readonly RtlInput[] = []): RtlInput[] {
  const segments = [...image.segments.map((s) => ({ address: s.address, bytes: s.data })), ...inputs];
  const overlap = segments.find((s) => s.bytes.length > 0 && s.address < ECALL_HANDLER_END && s.address + s.bytes.length > ECALL_HANDLER_BASE);
  if (overlap) throw new Error(`the program has bytes at ${hex(overlap.address)}, where the testbench keeps its ecall handler (${hex(ECALL_HANDLER_BASE)}..${hex(ECALL_HANDLER_END)})`);
  return [ecallHandlerSegment(), ...segments];
}

/** The image file of the driver: per segment its address, its length and its bytes (.bss needs none: memory starts zeroed). */
function imageFile(segments: readonly RtlInput[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const { address, bytes } of segments) {
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

export interface DriverOutcome {
  readonly result: RtlRunResult;
  /** Lines a driver prints after the report (what only its core observes). */
  readonly extra: readonly string[];
}

/** Run the ELF executable `elf` with the driver `executable` (its model named `model` in errors). */
export function runDriver(executable: string, model: string, elf: Uint8Array, options: DriverRun): Promise<DriverOutcome> {
  const image = readElf(elf);
  const segments = imageSegments(image, options.inputs);
  const tohost = image.symbols.get('tohost');
  const sp = initialStackPointer(singleCoreMemoryMap(image.entry), image.entry);
  const map = busMap(image.entry);
  return withTempDir('rtl-run', async (dir) => {
    const imagePath = path.join(dir, 'image.bin');
    const tracePath = path.join(dir, 'trace.txt');
    writeFileSync(imagePath, imageFile(segments));
    const args = [
      imagePath, hexArgument(image.entry), hexArgument(sp), tohost === undefined ? 'none' : hexArgument(tohost),
      String(options.maxCycles), grantArgument(options.grantDelay), options.trace ? tracePath : '-', String(options.mcycleStart),
      options.traps ?? 'stop', windowsArgument(map.data), windowsArgument(map.fetch),
    ];
    const run = await runExecutable(executable, args, dir);
    if (run.code !== 0) throw new Error(`the ${model} model failed (exit ${run.code}): ${run.stderr.trim()}`);
    const { extra, ...summary } = parseSummary(run.stdout, model);
    return { result: { ...summary, ...(options.trace ? parseTrace(readFileSync(tracePath, 'utf8')) : { retired: [], registerWrites: [] }) }, extra };
  });
}

function parseSummary(stdout: string, model: string): Omit<RtlRunResult, 'retired' | 'registerWrites'> & { extra: string[] } {
  const match = /^stop (\S+) (\d+) ([0-9a-f]+) cycles (\d+) instret (\d+)\nregs((?: [0-9a-f]{8}){32})\noutput ([0-9a-f]*)\n((?:.*\n)*)$/.exec(stdout);
  if (!match) throw new Error(`unexpected output from the ${model} model: ${JSON.stringify(stdout.slice(0, 200))}`);
  const [, kind, value, pc, cycles, instret, regs, output, extra] = match;
  return {
    stop: stopOf(kind!, Number(value), parseInt(pc!, 16), model),
    cycles: Number(cycles),
    instret: Number(instret),
    regs: regs!.trim().split(' ').map((r) => parseInt(r, 16) | 0),
    output: Buffer.from(output!, 'hex').toString('utf8'),
    extra: extra!.split('\n').slice(0, -1),
  };
}

function stopOf(kind: string, value: number, pc: number, model: string): RtlStop {
  switch (kind) {
    case 'exit': return { kind, code: value | 0 };
    case 'cycle-limit': return { kind };
    case 'wfi': return { kind };
    case 'ebreak': return { kind, pc };
    case 'illegal-instruction': return { kind, pc, word: value };
    case 'unsupported-ecall': return { kind, pc, a7: value };
    case 'access-fault': return { kind, pc, cause: value };
    default: throw new Error(`unknown stop '${kind}' from the ${model} model at ${hex(pc)}`);
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
