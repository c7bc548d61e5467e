/**
 * CORE-V hardware loops: the register file, the loop-end rule applied after every instruction, and
 * the checks of the programming constraints (CV32E40P user manual, "Hardware Loop constraints").
 * The core raises no exception on a violation and its behaviour is undefined; the manual asks
 * simulators to stop with a clear message instead, which is what `validate` does.
 */
import { hex } from '../../isa/bits.js';
import type { DecodedInstruction } from '../../isa/definition.js';
import type { SystemCall } from '../../isa/effects.js';
import type { Addr, HwLoopRegs } from '../../isa/types.js';
import { Fault } from '../../isa/fault.js';

/**
 * The privileged calls the manual bans from a loop body (ecall and ebreak are allowed). mret also
 * transfers control, which the body rules ban first.
 */
const PRIVILEGED: ReadonlySet<SystemCall> = new Set(['mret', 'wfi']);

export class HardwareLoops implements HwLoopRegs {
  readonly start = new Uint32Array(2);
  readonly end = new Uint32Array(2);
  readonly count = new Uint32Array(2);
  /** Some loop has a non-zero count: only then is the end rule checked. */
  active = false;
  /** Last body validated per loop, so re-arming the same inner loop costs nothing. */
  private readonly checkedStart = new Float64Array([-1, -1]);
  private readonly checkedEnd = new Float64Array([-1, -1]);
  /** Each loop's count when its registers were last written: below it, the loop has iterated. */
  private readonly armedCount = new Uint32Array(2);

  /**
   * Next pc after an instruction at `pc` that did not jump. When it is the last instruction of an
   * active loop body (loop 0 first: it is the inner loop), go back to the start while the count is
   * above one; the count is decremented every time the last instruction executes.
   */
  next(sequential: Addr): Addr {
    for (let l = 0; l < 2; l++) {
      if (this.count[l] !== 0 && sequential === this.end[l]) {
        const remaining = this.count[l]! - 1;
        this.count[l] = remaining;
        this.active = this.count[0] !== 0 || this.count[1] !== 0;
        return remaining !== 0 ? this.start[l]! : sequential;
      }
    }
    return sequential;
  }

  /**
   * After a branch or jump to `target`: an active loop must be entered at its start, never inside
   * its body (the manual's rule; the core would run the rest of the body without the loop state
   * it expects).
   */
  checkEntry(target: Addr): void {
    for (let l = 0; l < 2; l++) {
      const start = this.start[l]!;
      if (this.count[l] !== 0 && target > start && target < this.end[l]!) {
        fail(`hardware loop ${l}: a jump or branch to ${hex(target)} enters the body ${hex(start)}..${hex(this.end[l]!)} after its start`);
      }
    }
  }

  /**
   * After a cv.* loop instruction at `setupPc` changed loop `l`: check the constraints whenever the
   * loop is armed. `fetch` decodes the instruction at an address (through the pre-decode cache).
   */
  validate(l: number, setupPc: Addr, fetch: (addr: Addr) => DecodedInstruction): void {
    this.active = this.count[0] !== 0 || this.count[1] !== 0;
    this.armedCount[l] = this.count[l]!;
    if (setupPc % 4 !== 0) fail(`hardware-loop setup instruction at ${hex(setupPc)} is not 32-bit aligned`);
    if (this.count[l] === 0) return;
    const start = this.start[l]!;
    const end = this.end[l]!;
    if (this.checkedStart[l] !== start || this.checkedEnd[l] !== end) {
      checkBody(l, start, end, fetch);
      this.checkedStart[l] = start;
      this.checkedEnd[l] = end;
    }
    if (this.count[0] !== 0 && this.count[1] !== 0) this.checkNesting();
  }

  /**
   * Whether the CV32E40P decodes the instruction at `pc` in its hardware-loop state (the
   * controller's DECODE_HWLOOP, where the back edge is prepared ahead) rather than in plain DECODE,
   * for a loop entered at its start: inside a body once its first instruction has been decoded with
   * iterations left, until the second-last instruction of the final iteration. Only trap timing
   * depends on it (docs/cv32e40p.md#timing).
   */
  decodesInLoopState(pc: Addr): boolean {
    for (let l = 0; l < 2; l++) {
      const count = this.count[l]!;
      const end = this.end[l]!;
      if (count === 0 || pc < this.start[l]! || pc >= end) continue;
      const iterated = count < this.armedCount[l]!;
      // The first instruction of the first iteration is decoded in plain DECODE, which switches over.
      if (pc === this.start[l] && !iterated) continue;
      if (count > 1 || (iterated && pc < end - 4)) return true;
    }
    return false;
  }

  /**
   * Whether the controller, in plain DECODE after a pipeline flush, stays there past the instruction
   * at `pc`, the loop counters as that instruction left them and its back edge not taken: pc lies
   * in a final iteration (inside an active body, in none with iterations left, where it would move
   * to its loop state). Outside every body its state no longer matters.
   */
  staysPlainAfter(pc: Addr): boolean {
    let inBody = false;
    for (let l = 0; l < 2; l++) {
      const count = this.count[l]!;
      if (count === 0 || pc < this.start[l]! || pc >= this.end[l]!) continue;
      if (count > 1) return false;
      inBody = true;
    }
    return inBody;
  }

  /**
   * After a pipeline flush (mret to `target`, or an access to a status CSR followed by `target`) the
   * core decodes in plain DECODE again and switches to the loop state at the first body instruction
   * (iterations left) that is not the second-last: from the last or second-last instruction it
   * reaches the last one in plain DECODE, which takes the back edge as a jump from decode. That last
   * instruction's address, else undefined.
   */
  backEdgeFromDecodeAfter(target: Addr): Addr | undefined {
    for (let l = 0; l < 2; l++) {
      const end = this.end[l]!;
      if (this.count[l]! > 1 && target >= this.start[l]! && target >= end - 8 && target < end) return end - 4;
    }
    return undefined;
  }

  private checkNesting(): void {
    const [s0, s1] = [this.start[0]!, this.start[1]!];
    const [e0, e1] = [this.end[0]!, this.end[1]!];
    const disjoint = e0 <= s1 || e1 <= s0;
    if (disjoint) return;
    if (!(s1 <= s0 && e0 <= e1)) fail('nested hardware loops: loop 0 must be the inner loop (inside loop 1)');
    if (e1 < e0 + 8) {
      fail(`nested hardware loops: loop 1 must end at least 8 bytes after loop 0 (ends ${hex(e0)}, ${hex(e1)})`);
    }
  }
}

function fail(message: string): never {
  throw new Fault('hwloop-constraint', message);
}

function checkBody(l: number, start: Addr, end: Addr, fetch: (addr: Addr) => DecodedInstruction): void {
  if (start % 4 !== 0 || end % 4 !== 0) fail(`hardware loop ${l}: start ${hex(start)} and end ${hex(end)} must be 32-bit aligned`);
  if (end <= start) fail(`hardware loop ${l}: end ${hex(end)} must be after start ${hex(start)}`);
  let instructions = 0;
  for (let addr = start; addr < end; ) {
    const insn = decodedOrRejected(fetch, addr);
    if (insn === undefined) {
      // A word the decoder rejects: the core traps when the body reaches it (docs/iss.md#traps).
      instructions++;
      addr += 4;
      continue;
    }
    // The message's place is written only when it fails: cv.setup checks its body every time it runs.
    const where = (): string => `hardware loop ${l}: ${insn.def.mnemonic} at ${hex(addr)}`;
    if (insn.length !== 4) fail(`${where()}: compressed instructions are not allowed in the body`);
    const effects = insn.def.effects;
    // Control transfers and fences redirect or flush the fetch, which the loop logic does not expect.
    if (effects.control !== 'none' || effects.system === 'fence') fail(`${where()}: jumps, branches and fences are not allowed in the body`);
    if (PRIVILEGED.has(effects.system)) fail(`${where()}: privileged instructions are not allowed in the body`);
    if (effects.hwloop && insn.loop === l) fail(`${where()}: the body may not change its own loop registers`);
    instructions++;
    addr += insn.length;
  }
  if (instructions < 3) fail(`hardware loop ${l}: the body has ${instructions} instruction(s), at least 3 are required`);
}

/**
 * The body's instruction at addr, or undefined when the decoder rejects its word (an illegal
 * instruction). A body outside memory breaks the rules: it is no fault of the setup instruction
 * (which a hart taking traps would otherwise trap on).
 */
function decodedOrRejected(fetch: (addr: Addr) => DecodedInstruction, addr: Addr): DecodedInstruction | undefined {
  try {
    return fetch(addr);
  } catch (error) {
    if (!(error instanceof Fault)) throw error;
    if (error.kind === 'illegal-instruction') return undefined;
    return fail(`hardware loop body at ${hex(addr)}: ${error.detail}`);
  }
}
