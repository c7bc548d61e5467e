// Yosys reads, synthesizes and checks every checked design, in both emitted forms, without a
// warning; and the Yosys wrapper reports what Yosys finds.
import { describe, expect, it } from 'vitest';
import { elaborate } from '../../hw/hdl/index.js';
import { Counter } from '../../hw/examples/counter.js';
import { emitVerilog } from '../../gen/verilog/index.js';
import { checkSynthesis, runYosysScript, YosysError } from '../../gen/yosys.js';
import { checkedDesigns, verilogForms } from './checked-designs.js';

for (const checked of checkedDesigns) {
  describe(checked.label, () => {
    for (const { form, emit } of verilogForms) {
      it(`${form} Verilog synthesizes with Yosys and passes check -assert`, async () => {
        const design = checked.elaborate();
        const run = await checkSynthesis(emit(design), design.top.name);
        expect(run.warnings).toEqual([]);
      });
    }
  });
}

describe('checkSynthesis', () => {
  const design = elaborate(Counter, { width: 8 });
  const withText = (from: string, to: string) => emitVerilog(design).map((f) => ({ ...f, text: f.text.replace(from, to) }));

  it('fails on a multiply driven net before synthesis can optimize it away', async () => {
    // A second driver of a slice of `value`: `synth` alone only warns, and the check after it passes
    // (Yosys 0.55), which is why checkSynthesis also asserts `check` before synthesizing.
    const files = withText('endmodule', "  wire [3:0] spare;\n  assign spare = value[3:0];\n  assign spare = ~value[3:0];\nendmodule");
    const error = await checkSynthesis(files, design.top.name).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(YosysError);
    expect((error as YosysError).message).toMatch(/ERROR: Found \d+ problems in 'check -assert'/);
    expect((error as YosysError).message).toContain('Warning: multiple conflicting drivers for Counter_width8.');
  });

  it('fails with the line of a syntax error', async () => {
    const files = withText("value + 8'd1", 'value + ');
    await expect(checkSynthesis(files, design.top.name)).rejects.toThrow(/Counter_width8\.v:\d+: ERROR: syntax error/);
  });

  it('returns the whole log of a run', async () => {
    const run = await runYosysScript(emitVerilog(design), [`read_verilog ${design.top.name}.v`, `synth -top ${design.top.name}`, 'stat']);
    expect(run.log).toContain(`=== ${design.top.name} ===`);
    expect(run.warnings).toEqual([]);
  });
});
