// The differential test can fail: hand-edited Verilog and an uninitialized register are reported
// with the cycle, the output, both values and the seed.
import { describe, expect } from 'vitest';
import { elaborate } from '../../hw/hdl/index.js';
import { Counter } from '../../hw/examples/counter.js';
import { cosimulate, formatCosimReport } from '../../gen/cosim/index.js';
import { emitVerilog, initMacro, type VerilogFile } from '../../gen/verilog/index.js';
import { Passthrough, SignedOps } from './fixtures.js';
import { itWithTools } from './needs-tools.js';

const it = itWithTools(['iverilog', 'vvp']);

/** `files` with `from` replaced by `to` in the file of module `module`; fails if the text did not change. */
function edit(files: readonly VerilogFile[], module: string, from: string | RegExp, to: string): VerilogFile[] {
  return files.map((f) => {
    if (f.module !== module) return f;
    const text = f.text.replace(from, to);
    expect(text, `the edit ${String(from)} -> ${to} applies to ${f.fileName}`).not.toBe(f.text);
    return { ...f, text };
  });
}

describe('cosimulation', () => {
  it('passes on ports wider than 32 bits and signed ports', async () => {
    const design = elaborate(Passthrough, {});
    const report = await cosimulate(design, { cycles: 500, seed: 3 });
    expect(report.mismatches, formatCosimReport(report)).toEqual([]);
  });

  it('passes on a module without clock or reset', async () => {
    const design = elaborate(SignedOps, {});
    const report = await cosimulate(design, { cycles: 500, seed: 3 });
    expect(report.mismatches, formatCosimReport(report)).toEqual([]);
  });

  it('reports an operator changed in the emitted Verilog', async () => {
    const design = elaborate(Counter, { width: 8 });
    const files = edit(emitVerilog(design), design.top.name, /value \+ 8'd1/, "value - 8'd1");
    const report = await cosimulate(design, { cycles: 2000, seed: 1, files });
    expect(report.mismatches.length).toBeGreaterThan(0);
    const first = report.mismatches[0]!;
    expect(first.output).toBe('count');
    expect(BigInt(`0x${first.icarus}`)).toBe((BigInt(`0x${first.typescript}`) - 2n) & 0xffn);
    const text = formatCosimReport(report);
    expect(text).toContain('seed 1');
    expect(text).toContain(`cycle ${first.cycle}, output 'count': TypeScript ${first.typescript}, Icarus ${first.icarus}`);
  });

  it('reports x from registers that Verilog leaves uninitialized', async () => {
    const design = elaborate(Passthrough, {});
    const files = edit(emitVerilog(design), design.top.name, `\`ifdef ${initMacro}`, '`ifdef NMSPARSE_NOT_DEFINED');
    const report = await cosimulate(design, { cycles: 50, seed: 1, files });
    // Before the first clock edge neither register holds a value; from then on the reset and the
    // data define both.
    expect(report.mismatches.map((m) => [m.cycle, m.output, m.typescript, m.icarus])).toEqual([
      [0, 'wideLast', '0'.repeat(18), 'x'.repeat(18)],
      [0, 'wordLast', '0'.repeat(9), 'x'.repeat(9)],
    ]);
  });
});
