// The core with Xnmsparse revision 2 against the ISS: nm.mac4 and nm.racc streams, the accumulator
// CSRs, and the multiplier the block shares with the core (an instruction on the multiplier right
// after nm.mac4 waits a cycle, docs/isa-extension.md R2.6), with single-cycle memory and under grant
// delays.
import { describe, expect, it } from 'vitest';
import { writeElf } from '../../isa/elf/writer.js';
import { CV32E40P_XNMSPARSE_TABLE } from '../../isa/tables/xnmsparse.js';
import { assemble } from '../../sw/asm/assembler.js';
import { program, randomWords } from '../sim/support/single-core-programs.js';
import { compareWithIss, expectLockstep } from './support.js';

const elfOf = (source: string): Uint8Array => writeElf(assemble(source, { file: 'extension.S', table: CV32E40P_XNMSPARSE_TABLE }));

/** nm.mac4 over a buffer, each followed by another kind of instruction, then the accumulators read back. */
const MAC_STREAM = program(`
  la a1, activations
  li t0, 0x00080004
  li t1, 0x0010000c
  li t2, 0x7f80ff01
  li s1, 6
1:
  nm.mac4.u a1, t0, t2, 0, 0
  mul s2, s2, t2                 # on the multiplier: waits a cycle
  nm.mac4.s a1, t0, t2, 1, 1
  cv.sdotsp.b s3, t2, t0         # a dot product: waits too
  nm.mac4.u a1, t1, t2, 0, 2
  add s4, s4, t2                 # the ALU: no wait
  nm.mac4.s a1, t1, t2, 1, 3
  mulh s5, s2, t2                # five cycles, after its wait
  nm.mac4.u a1, t0, t2, 0, 0
  csrr s6, nmacc0                # an accumulator CSR waits
  nm.mac4.s a1, t1, t2, 1, 1
  nm.racc s7, 1                  # so does nm.racc
  cv.mac s8, s7, s6
  addi s1, s1, -1
  bnez s1, 1b
  nm.racc a2, 0
  nm.racc a3, 2
  nm.racc a4, 3
  add a0, a2, a3
  add a0, a0, a4
  add a0, a0, s2
  add a0, a0, s3
  add a0, a0, s5
  add a0, a0, s8
`, `activations:\n${randomWords(21, 16)}`);

describe('the core with Xnmsparse against the ISS', () => {
  it('agrees on nm.mac4 next to multiplier, ALU, CSR and nm.racc instructions, with the multiplier wait', () => {
    expectLockstep(elfOf(MAC_STREAM), { extension: true }, 'nm.mac4 stream');
    const { iss } = compareWithIss(elfOf(MAC_STREAM), { extension: true });
    // Per iteration: mul, the dot product, mulh, csrr and nm.racc each wait once after nm.mac4.
    const plain = compareWithIss(elfOf(MAC_STREAM.replaceAll(/^\s+nm\.mac4\.[us] .*$/gm, '  nop')), { extension: true }).iss;
    expect(iss.cycles - plain.cycles).toBeGreaterThanOrEqual(6 * 5);
  });

  it('agrees under fixed and random data-grant delays', () => {
    for (const grantDelay of [{ kind: 'fixed', cycles: 1 }, { kind: 'random', seed: 5, max: 3 }] as const) {
      expectLockstep(elfOf(MAC_STREAM), { extension: true, grantDelay }, JSON.stringify(grantDelay));
    }
  });
});
