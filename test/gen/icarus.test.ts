// The testbench and the Icarus run, checked against the stimulus itself rather than against the
// TypeScript simulator: row packing, ports wider than 32 bits, signed ports, hex parsing, and the
// zeroed initial state under NMSPARSE_INIT_REGS.
import { describe, expect, it as plainIt } from 'vitest';
import { elaborate } from '../../hw/hdl/index.js';
import { randomStimulus } from '../../gen/cosim/index.js';
import { runIcarus } from '../../gen/cosim/icarus.js';
import { stimulusHex } from '../../gen/cosim/testbench.js';
import { emitVerilog } from '../../gen/verilog/index.js';
import { Passthrough } from './fixtures.js';
import { itWithTools } from './needs-tools.js';

const it = itWithTools(['iverilog', 'vvp']);

function hex(bits: bigint, width: number): string {
  return bits.toString(16).padStart(Math.ceil(width / 4), '0');
}

describe('Icarus testbench', () => {
  it('applies every input slice of every row and prints every output in hex', async () => {
    const design = elaborate(Passthrough, {});
    const stimulus = randomStimulus(design.top, 300, 7);
    const printed = await runIcarus(emitVerilog(design), design.top, stimulus);
    const column = (name: string) => stimulus.inputs.findIndex((i) => i.name === name);
    const [rst, wide, word, neg, flag] = ['rst', 'wide', 'word', 'neg', 'flag'].map(column);
    const expected = stimulus.rows.map((row, cycle) => {
      const previous = stimulus.rows[cycle - 1];
      return [
        hex(row[wide!]!, 70),
        hex(row[word!]!, 33),
        hex(row[neg!]!, 5),
        hex(row[flag!]!, 1),
        // Registers start at zero only because the testbench defines NMSPARSE_INIT_REGS.
        hex(previous ? previous[wide!]! : 0n, 70),
        hex(previous && previous[rst!] === 0n ? previous[word!]! : 0n, 33),
      ];
    });
    expect(printed).toEqual(expected);
    // The stimulus must reach the cases that matter here, or the comparison above proves little.
    const wideValues = stimulus.rows.map((row) => row[wide!]!);
    expect(wideValues.some((v) => v >> 69n === 1n)).toBe(true);
    expect(wideValues.some((v) => v >> 32n !== 0n && v >> 69n === 0n)).toBe(true);
    expect(stimulus.rows.slice(1).some((row) => row[rst!] === 1n)).toBe(true);
  });

  plainIt('packs the first input at the most significant end of a row', () => {
    const design = elaborate(Passthrough, {});
    const stimulus = { ...randomStimulus(design.top, 1, 1), rows: [[1n, (1n << 69n) | 0xabn, 0x1_0000_0001n, 0x1fn, 1n]] };
    // rst(1) wide(70) word(33) neg(5) flag(1) = 110 bits, 28 hex digits.
    const packed = (1n << 109n) | (((1n << 69n) | 0xabn) << 39n) | (0x1_0000_0001n << 6n) | (0x1fn << 1n) | 1n;
    expect(stimulusHex(stimulus)).toBe(`${packed.toString(16).padStart(28, '0')}\n`);
  });
});
