// verilator --lint-only -Wall is clean on every checked design, in both emitted forms, and the
// lint wrapper reports what Verilator finds.
import { describe, expect } from 'vitest';
import { elaborate } from '../../hw/hdl/index.js';
import { Counter } from '../../hw/examples/counter.js';
import { formatLintMessage, lintVerilog } from '../../gen/lint.js';
import { emitVerilog } from '../../gen/verilog/index.js';
import { checkedDesigns, verilogForms } from './checked-designs.js';
import { itWithTools } from './needs-tools.js';

const it = itWithTools(['verilator']);

for (const checked of checkedDesigns) {
  describe(checked.label, () => {
    for (const { form, emit } of verilogForms) {
      it(`${form} Verilog passes verilator --lint-only -Wall`, async () => {
        const design = checked.elaborate();
        const messages = await lintVerilog(emit(design), design.top.name);
        expect(messages.map(formatLintMessage)).toEqual([]);
      });
    }
  });
}

describe('lintVerilog', () => {
  it('reports a problem with its file, line, column and code', async () => {
    const design = elaborate(Counter, { width: 8 });
    const files = emitVerilog(design).map((f) => ({ ...f, text: f.text.replace('endmodule', '  wire [3:0] spare;\nendmodule') }));
    const line = files[0]!.text.split('\n').indexOf('  wire [3:0] spare;') + 1;
    const messages = await lintVerilog(files, design.top.name);
    expect(messages).toEqual([
      { severity: 'Warning', code: 'UNUSEDSIGNAL', file: `${design.top.name}.v`, line, column: 14, text: "Signal is not driven, nor used: 'spare'" },
    ]);
    expect(formatLintMessage(messages[0]!)).toBe(`${design.top.name}.v:${line}:14: Warning-UNUSEDSIGNAL: Signal is not driven, nor used: 'spare'`);
  });

  it('reports a syntax error', async () => {
    const design = elaborate(Counter, { width: 8 });
    const files = emitVerilog(design).map((f) => ({ ...f, text: f.text.replace(/value \+ 8'd1/, 'value + ') }));
    const messages = await lintVerilog(files, design.top.name);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages[0]).toMatchObject({ severity: 'Error', file: `${design.top.name}.v` });
  });
});
