// The core with Xnmsparse revision 2 against the ISS: nm.mac4 and nm.mul4 streams whose sums are
// x28..x31, the hazard on those registers (an instruction naming one waits while an nm.mac4 is in
// EX or WB, docs/isa-extension.md R2.6), the multiplier the sums share with the core (an
// instruction on the multiplier right after nm.mac4 waits a cycle) and a misaligned nm.mac4, with
// single-cycle memory and under grant delays.
import { describe, expect, it } from 'vitest';
import { writeElf } from '../../isa/elf/writer.js';
import { CV32E40P_XNMSPARSE_TABLE } from '../../isa/tables/xnmsparse.js';
import { assemble } from '../../sw/asm/assembler.js';
import { program, randomWords } from '../sim/support/single-core-programs.js';
import { stopText } from '../../sim/simulate.js';
import { compareWithIss, expectLockstep } from './support.js';

const elfOf = (source: string): Uint8Array => writeElf(assemble(source, { file: 'extension.S', table: CV32E40P_XNMSPARSE_TABLE }));

/** nm.mac4 / nm.mul4 over a buffer, each followed by another kind of instruction, then the sums read. */
const MAC_STREAM = program(`
  la a1, activations
  li t0, 0x00080004
  li t1, 0x0010000c
  li t2, 0x7f80ff01
  li s1, 6
1:
  nm.mul4.u a1, t0, t2, 0, 0     # the sums start again
  mul s2, s2, t2                 # on the multiplier: waits a cycle
  nm.mac4.s a1, t0, t2, 1, 1
  cv.sdotsp.b s3, t2, t0         # a dot product: waits too
  nm.mac4.u a1, t1, t2, 0, 2
  add s4, s4, t2                 # the ALU, naming no sum: no wait
  nm.mac4.s a1, t1, t2, 1, 3
  nm.mac4.u a1, t0, t2, 1, 2     # back to back: no wait for the sums it adds to
  add s5, s5, t3                 # reads a sum: waits two cycles
  nm.mac4.s a1, t1, t2, 0, 1
  addi s6, s6, 1                 # one instruction between ...
  add s7, s7, t4                 # ... then a sum read waits one cycle
  nm.mac4.u a1, t0, t5, 0, 3     # weights from a sum (x30): waits for the nm.mac4 before
  mulh s8, s2, t2                # five cycles, after its wait
  nm.mul4.s a1, t1, t2, 1, 0
  li t6, 5                       # writes a sum: waits too
  nm.mac4.s a1, t1, t2, 1, 1
  cv.mac t3, s7, s6              # on the multiplier, rd a sum: waits
  nm.mac4.u a1, t0, t2, 0, 0
  lw t5, 0(a1)                   # a load into a sum: waits
  addi s1, s1, -1
  bnez s1, 1b
  add a0, t3, t4
  add a0, a0, t5
  add a0, a0, t6
  add a0, a0, s2
  add a0, a0, s3
  add a0, a0, s5
  add a0, a0, s7
  add a0, a0, s8
`, `activations:\n${randomWords(21, 16)}`);

/** Jumps whose link register is a sum wait before they jump (they name it as their destination). */
const JUMP_LINKS = program(`
  la a1, activations
  li t2, 0x01010101
  la s2, 3f
  nm.mul4.u a1, zero, t2, 0, 0
  jal t4, 1f                     # waits two cycles, then jumps
  nop
1:
  nm.mac4.s a1, zero, t2, 0, 1
  addi s1, s1, 1
  jal t5, 2f                     # one instruction between: waits one cycle
  nop
2:
  nm.mac4.u a1, zero, t2, 0, 2
  jalr t6, 0(s2)                 # jalr: waits for the sum as well as for its base
  nop
3:
  add a0, t3, t4
  add a0, a0, t5
  add a0, a0, t6
`, `activations:\n${randomWords(23, 4)}`);

/**
 * A misaligned nm.mac4 raises a load-address-misaligned exception (cause 4) and writes no sum; the
 * ISS and the core trap to a handler that exits with mcause plus mepc's distance from the faulting
 * instruction.
 */
const MISALIGNED = program(`
  la t0, handler
  csrw mtvec, t0
  la a1, activations
  la a2, fault
  li t0, 0x00020004
  li t2, 0x01010101
  nm.mul4.u a1, zero, t2, 0, 0
  nm.mac4.s a1, t0, t2, 0, 1     # a1 + 4
fault:
  nm.mac4.u a1, t0, t2, 1, 0     # a1 + 2: misaligned
  li a0, 99
  j done
  .align 8                       # mtvec holds bits 31:8 of the handler's address
handler:
  csrr a0, mcause
  csrr a1, mepc
  sub a1, a1, a2
  add a0, a0, a1
done:
`, `activations:\n${randomWords(22, 4)}`);

describe('the core with Xnmsparse against the ISS', () => {
  it('agrees on nm.mac4 / nm.mul4 next to multiplier, ALU and load instructions and readers of the sums, with their waits', () => {
    expectLockstep(elfOf(MAC_STREAM), { extension: true }, 'nm.mac4 stream');
    const { iss } = compareWithIss(elfOf(MAC_STREAM), { extension: true });
    // Per iteration at least: mul, the dot product, cv.mac 1; the first sum read 2, the second 1,
    // the weights from a sum, li and the load into a sum 2 each.
    const plain = compareWithIss(elfOf(MAC_STREAM.replaceAll(/^\s+nm\.(mac|mul)4\.[us] .*$/gm, '  nop')), { extension: true }).iss;
    expect(iss.cycles - plain.cycles).toBeGreaterThanOrEqual(6 * (3 + 2 + 1 + 2 + 2 + 2));
  });

  it('agrees under fixed and random data-grant delays', () => {
    for (const grantDelay of [{ kind: 'fixed', cycles: 1 }, { kind: 'random', seed: 5, max: 3 }] as const) {
      expectLockstep(elfOf(MAC_STREAM), { extension: true, grantDelay }, JSON.stringify(grantDelay));
    }
  });

  it('agrees on jumps whose link register is a sum, right after nm.mac4 and one instruction later', () => {
    expectLockstep(elfOf(JUMP_LINKS), { extension: true }, 'jump links');
    for (const grantDelay of [{ kind: 'fixed', cycles: 1 }, { kind: 'random', seed: 7, max: 3 }] as const) {
      expectLockstep(elfOf(JUMP_LINKS), { extension: true, grantDelay }, `jump links, ${JSON.stringify(grantDelay)}`);
    }
  });

  it('traps on a misaligned nm.mac4 (cause 4, mepc its pc) as the ISS does, cycle for cycle, the sums unchanged', () => {
    for (const grantDelay of [undefined, { kind: 'fixed', cycles: 2 }] as const) {
      expectLockstep(elfOf(MISALIGNED), { extension: true, grantDelay }, `misaligned, ${JSON.stringify(grantDelay)}`);
      const { core } = compareWithIss(elfOf(MISALIGNED), { extension: true, grantDelay });
      expect(core.stop).toBe(stopText({ kind: 'exit', code: 4 }));
    }
  });
});
