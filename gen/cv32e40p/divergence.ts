// Comparing a run of the ISS with a run of the RTL, instruction by instruction: where they part
// and a window of both traces around it. Only the shapes below are needed, so this module does
// not depend on the simulator.
import { hex } from '../../isa/bits.js';

/**
 * Cycles the RTL spends before its first instruction leaves the decode stage that the ISS does not
 * model: the ISS's first instruction ends in its cycle 1, the RTL's leaves decode in cycle 5 after
 * reset (fetch request, grant, data, prefetch buffer, decode). Every RTL cycle count is the ISS's
 * plus this constant.
 */
export const RTL_STARTUP_CYCLES = 4;

export interface TimedRetirement {
  readonly pc: number;
  /** ISS: mcycle after the instruction; RTL: the cycle it left the decode stage. */
  readonly cycle: number;
}

export interface RunSummary {
  /** `exit 3`, `cycle-limit`, ... */
  readonly stop: string;
  /** The program's exit code, when it exited. */
  readonly exitCode?: number;
  readonly cycles: number;
  readonly instret: number;
  readonly retired: readonly TimedRetirement[];
  /** Register writes in program order (x0 left out), when observed. */
  readonly registerWrites?: readonly { readonly reg: number; readonly value: number }[];
  /** x0..x31 at the end, when observed. */
  readonly regs?: readonly number[];
  /** What the program wrote. */
  readonly output?: string;
}

export interface Comparison {
  /** True when stop, output, instret, cycles (less the start-up constant), pcs and registers all agree. */
  readonly same: boolean;
  /** One line per difference, then, for the first instruction where the runs part, both traces around it. */
  readonly report: string;
  /** Index (in retirement order) of the first instruction where the runs part, when they do. */
  readonly at?: number;
}

/**
 * Index of the first instruction whose cycle the RTL contradicts, or undefined. The ISS charges an
 * instruction its stalls before issue (load use, jalr) and its extra cycles after (a taken branch,
 * a jump, a divide, a flush) together; the RTL's instruction leaves decode after the first and
 * delays the next one by the second. With equal timing, then, the RTL's cycle less the start-up
 * constant lies between the ISS's cycle minus the RTL's gap to the next instruction and the ISS's
 * cycle. The first instruction outside that range is where the runs part (when the RTL spends more
 * after an instruction, it shows at the next one).
 */
export function firstCycleDivergence(iss: readonly TimedRetirement[], rtl: readonly TimedRetirement[], startup = RTL_STARTUP_CYCLES): number | undefined {
  const n = Math.min(iss.length, rtl.length);
  for (let i = 0; i < n; i++) {
    const early = iss[i]!.cycle + startup - rtl[i]!.cycle;
    const gap = i + 1 < rtl.length ? rtl[i + 1]!.cycle - rtl[i]!.cycle - 1 : Number.POSITIVE_INFINITY;
    if (early < 0 || early > gap) return i;
  }
  return undefined;
}

function firstPcDivergence(iss: readonly TimedRetirement[], rtl: readonly TimedRetirement[], stopped: boolean): number | undefined {
  const n = Math.min(iss.length, rtl.length);
  for (let i = 0; i < n; i++) if (iss[i]!.pc !== rtl[i]!.pc) return i;
  return iss.length === rtl.length || stopped ? undefined : n;
}

/** Both traces around instruction `index`: pc, cycles on each side and their difference less the start-up constant. */
export function traceWindow(iss: readonly TimedRetirement[], rtl: readonly TimedRetirement[], index: number, radius = 4, startup = RTL_STARTUP_CYCLES): string {
  const lines = [`     #  iss pc      iss cycle  rtl pc      rtl cycle  rtl-iss-${startup}`];
  for (let i = Math.max(0, index - radius); i <= index + radius && (i < iss.length || i < rtl.length); i++) {
    const a = iss[i];
    const b = rtl[i];
    const delta = a && b ? String(b.cycle - a.cycle - startup) : '';
    const cell = (r: TimedRetirement | undefined, cycle: number): string => (r ? `${hex(r.pc)}  ${String(cycle).padStart(9)}` : ' '.repeat(21));
    lines.push(`${i === index ? '>' : ' '}${String(i).padStart(5)}  ${cell(a, a?.cycle ?? 0)}  ${cell(b, b?.cycle ?? 0)}  ${delta.padStart(9)}`);
  }
  return lines.join('\n');
}

/**
 * The first register whose sequence of written values differs (at a cycle limit, only as far as
 * both got: see compareRuns). Writes are compared per register
 * because the RTL's two write ports reorder writes of neighbouring instructions (a load writes back
 * one cycle after the next instruction's ALU result; a post-increment load writes its base first).
 */
function firstWriteDivergence(iss: RunSummary, rtl: RunSummary, stopped: boolean): string | undefined {
  if (!iss.registerWrites || !rtl.registerWrites) return undefined;
  const byRegister = (writes: readonly { reg: number; value: number }[]): number[][] => {
    const lists = Array.from({ length: 32 }, (): number[] => []);
    for (const w of writes) lists[w.reg]!.push(w.value >>> 0);
    return lists;
  };
  const a = byRegister(iss.registerWrites);
  const b = byRegister(rtl.registerWrites);
  for (let reg = 1; reg < 32; reg++) {
    const [x, y] = [a[reg]!, b[reg]!];
    const common = Math.min(x.length, y.length);
    let at = x.findIndex((v, k) => k < common && v !== y[k]);
    if (at < 0 && !stopped && x.length !== y.length) at = common;
    if (at < 0) continue;
    const show = (v: number | undefined): string => (v === undefined ? 'none' : hex(v));
    return `write ${at} to x${reg}: ISS ${show(x[at])}, RTL ${show(y[at])}`;
  }
  return undefined;
}

/**
 * Compare the ISS's run with the RTL's; the RTL's cycles may exceed the ISS's by its start-up
 * constant only (the CV32E40P's RTL_STARTUP_CYCLES by default).
 */
export function compareRuns(iss: RunSummary, rtl: RunSummary, startup = RTL_STARTUP_CYCLES): Comparison {
  const differences: string[] = [];
  // A run stopped by the cycle limit is compared as far as both got: the ISS completes the
  // instruction that reaches the limit, the RTL stops in the middle of the pipeline (instructions
  // that left decode may not have written back, one stalled in decode has not left it).
  const stopped = iss.stop === 'cycle-limit' && rtl.stop === 'cycle-limit';
  if (iss.stop !== rtl.stop) differences.push(`stop: ISS ${iss.stop}, RTL ${rtl.stop}`);
  if (iss.output !== rtl.output) differences.push(`output: ISS ${JSON.stringify(iss.output)}, RTL ${JSON.stringify(rtl.output)}`);
  if (iss.instret !== rtl.instret && !stopped) differences.push(`instructions: ISS ${iss.instret}, RTL ${rtl.instret}`);
  if (rtl.cycles - iss.cycles !== startup && !stopped) {
    differences.push(`cycles: ISS ${iss.cycles}, RTL ${rtl.cycles} (${rtl.cycles - iss.cycles - startup} beyond the start-up constant ${startup})`);
  }
  if (iss.regs && rtl.regs && !stopped) {
    const reg = iss.regs.findIndex((v, i) => v >>> 0 !== rtl.regs![i]! >>> 0);
    if (reg >= 0) differences.push(`x${reg} at the end: ISS ${hex(iss.regs[reg]!)}, RTL ${hex(rtl.regs[reg]!)}`);
  }
  const write = firstWriteDivergence(iss, rtl, stopped);
  if (write !== undefined) differences.push(write);
  const pcAt = firstPcDivergence(iss.retired, rtl.retired, stopped);
  const cycleAt = firstCycleDivergence(iss.retired, rtl.retired, startup);
  const at = pcAt ?? cycleAt;
  if (pcAt !== undefined) differences.push(`instruction ${pcAt}: the retired pcs part`);
  else if (cycleAt !== undefined) differences.push(`instruction ${cycleAt} (pc ${hex(iss.retired[cycleAt]!.pc)}): the cycle counts part (at it, or after the instruction before)`);
  if (differences.length === 0) return { same: true, report: '' };
  const window = at === undefined ? [] : [traceWindow(iss.retired, rtl.retired, at, 4, startup)];
  return { same: false, report: [...differences, ...window].join('\n'), ...(at === undefined ? {} : { at }) };
}
