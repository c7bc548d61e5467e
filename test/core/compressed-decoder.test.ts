// The RVC expander against the ISA's decoder (isa/decoder.ts with the RV32C table of
// isa/compressed.ts), on every one of the 65,536 halfwords: the same 32-bit equivalent, or the same
// illegal verdict. A 32-bit instruction must pass unchanged whatever its upper half.
import { describe, expect, it } from 'vitest';
import { elaborate } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import { CompressedDecoder } from '../../hw/core/compressed-decoder.js';
import { deriveRvcForms, expandWith } from '../../hw/core/rvc-forms.js';
import { decode, instructionLength } from '../../isa/decoder.js';
import { CV32E40P_TABLE } from '../../isa/table.js';
import { hex } from '../../isa/bits.js';
import { Random } from '../../util/random.js';

describe('CompressedDecoder', () => {
  it('expands every halfword as the ISA decoder does', () => {
    const sim = new RtlSimulator(elaborate(CompressedDecoder, {}));
    const random = new Random(15);
    const mismatches: string[] = [];
    let legal = 0;
    for (let half = 0; half < 1 << 16; half++) {
      // Upper bits are noise for a compressed instruction and part of a 32-bit one.
      const word = ((random.uint32() & 0xffff0000) | half) >>> 0;
      sim.poke('instr', word);
      const compressed = instructionLength(half) === 2;
      const decoded = decode(CV32E40P_TABLE, word, 0);
      const got = { expanded: sim.peek('expanded'), compressed: sim.peek('compressed') === 1, illegal: sim.peek('illegal') === 1 };
      const want = compressed
        ? { expanded: decoded ? decoded.expanded : half, compressed, illegal: decoded === undefined }
        : { expanded: word, compressed, illegal: false };
      if (decoded) legal++;
      if (got.expanded !== want.expanded || got.compressed !== want.compressed || got.illegal !== want.illegal) {
        mismatches.push(`${hex(word)}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
      }
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
    // Sanity of the reference itself: most of the RVC space is assigned.
    expect(legal).toBeGreaterThan(30_000);
  });

  it('refuses a compressed form that is not a rearrangement of the halfword bits', () => {
    // A made-up form whose immediate is the field plus one: bit 0 of the result depends on all bits.
    const bogus = { mnemonic: 'c.bogus', match: 0b01, mask: 0b11 | (0b111 << 13), expand: (h: number) => (((h >> 2) & 0x1f) + 1) << 20 | 0x13 };
    expect(() => deriveRvcForms([bogus])).toThrow(/c\.bogus/);
  });

  it('derives reserved values and expansions that reproduce the table on a known word', () => {
    // c.addi4spn with a zero immediate is the canonical illegal instruction 0x0000.
    const [addi4spn] = deriveRvcForms(CV32E40P_TABLE.compressed.filter((d) => d.mnemonic === 'c.addi4spn'));
    expect(expandWith(addi4spn!, 0x0000)).toBeUndefined();
    // c.addi4spn x8, sp, 4 = addi x8, x2, 4
    expect(expandWith(addi4spn!, 0x0040)).toBe(0x00410413);
  });
});
