// The simulator's generated JavaScript is for people too: it names the signals it computes, carries
// a sourceURL named after the top module, and is written to NMSPARSE_DUMP_CODE's folder on request.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Counter } from '../../hw/examples/counter.js';
import { Pipeline } from '../../hw/examples/pipeline.js';
import { elaborate } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import { DUMP_CODE_VARIABLE } from '../../util/generated-code.js';

const counter = () => new RtlSimulator(elaborate(Counter, { width: 4 }));

describe('generated simulator code', () => {
  it("maps every slot of the Counter to its signal and names each statement's signal", () => {
    const source = counter().generatedSource;
    for (const [name, role] of [['rst', 'input'], ['enable', 'input'], ['clear', 'input'], ['count', 'output'], ['wrap', 'output'], ['value', 'reg']]) {
      expect(source).toMatch(new RegExp(`^// s\\[\\d+\\] ${name}: ${role} UInt<\\d+>$`, 'm'));
    }
    for (const computed of ['count', 'wrap', 'next value', 'value']) expect(source).toMatch(new RegExp(`;\\s// ${computed}$`, 'm'));
  });

  it('names signals of instances by their hierarchical names', () => {
    const source = new RtlSimulator(elaborate(Pipeline, { lanes: 1, depth: 4 })).generatedSource;
    expect(source).toMatch(/^ {2}s\[\d+\] = .*; \/\/ u_alu\.sum$/m);
    expect(source).toMatch(/^\/\/ m0 u_rf\.regs: memory of 4 x UInt<8>$/m);
    expect(source).toMatch(/^ {2}if \(.*\) m0\[.*\] = .*; \/\/ u_rf\.regs write port 0$/m);
  });

  it('gives a signal driven by another alone the same words, and no statement', () => {
    const sim = new RtlSimulator(elaborate(Pipeline, { lanes: 1, depth: 4 }));
    const source = sim.generatedSource;
    const words = /^\/\/ s\[(\d+)\] u_rf_raddr0: wire UInt<2>, the same words as rs1$/m.exec(source)?.[1];
    expect(source).toMatch(new RegExp(`^// s\\[${words}\\] rs1: input UInt<2>$`, 'm'));
    expect(source).not.toMatch(/; \/\/ u_rf_raddr0$/m);
    sim.poke('rs1', 3);
    expect(sim.peek('u_rf_raddr0')).toBe(3);
  });

  it('carries a sourceURL named after the top module', () => {
    expect(counter().generatedSource).toMatch(/^\/\/# sourceURL=nmsparse-generated\/rtl-Counter_width4\.js$/m);
  });

  it(`is written to the folder that ${DUMP_CODE_VARIABLE} names`, () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'nmsparse-dump-'));
    const saved = process.env[DUMP_CODE_VARIABLE];
    process.env[DUMP_CODE_VARIABLE] = folder;
    try {
      const sim = counter();
      expect(readFileSync(path.join(folder, 'rtl-Counter_width4.js'), 'utf8')).toBe(sim.generatedSource);
    } finally {
      if (saved === undefined) delete process.env[DUMP_CODE_VARIABLE];
      else process.env[DUMP_CODE_VARIABLE] = saved;
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
