// Co-simulation of one program in the instruction-set simulator and in the hardware: every gather
// the ISS retires is decoded by the HDL decoder and executed by the HDL gather block, from the
// register values the ISS had before it, and both must write the same registers with the same values.
import { describe, expect, it } from 'vitest';
import { elaborate } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import { GatherDecoder } from '../../hw/ext/decoder.js';
import { GatherUnit } from '../../hw/ext/gather-unit.js';
import type { RetireEvent } from '../../sim/core/retire.js';
import { sparseBlockXnmsparse } from '../../sw/kernels/sparse-block-xnmsparse.js';
import { instantiate } from '../../sw/kernels/instance.js';
import { loadOnCore } from '../../sw/kernels/run.js';

const format = { m: 8, n: 1, bytes: 1 } as const;

describe('ISS and HDL in lockstep', () => {
  it('agree on every gather of a sparse kernel block', () => {
    const { hart, memory, run } = loadOnCore(instantiate(sparseBlockXnmsparse, { params: { channels: 4, repeats: 1 }, seed: 7 }));
    const events: RetireEvent[] = [];
    hart.onRetire = (e) => events.push(e);
    const shadow = Int32Array.from(hart.regs); // the ISS registers before each retired instruction
    run(); // throws unless the kernel exits

    const decoder = new RtlSimulator(elaborate(GatherDecoder, format));
    const unit = new RtlSimulator(elaborate(GatherUnit, format));
    unit.reset();
    unit.poke('data_gnt', 1);
    unit.poke('data_err', 0);
    let gathers = 0;
    for (const e of events) {
      decoder.poke('instr', e.word >>> 0);
      const isGather = decoder.peek('gather') === 1;
      expect(isGather, `${e.insn.def.mnemonic} at ${e.pc.toString(16)}`).toBe(e.insn.def.extension === 'Xnmsparse');
      if (isGather) {
        gathers++;
        const [rd, rs1, rs2, consume] = ['rd', 'rs1', 'rs2', 'consume'].map((f) => decoder.peek(f)) as [number, number, number, number];
        // Issue: operands as the register file holds them before the instruction.
        unit.poke('issue_valid', 1);
        unit.poke('issue_lane', decoder.peek('lane'));
        unit.poke('issue_consume', consume);
        unit.poke('issue_rd', rd);
        unit.poke('issue_rs2', rs2);
        unit.poke('op_base', shadow[rs1]! >>> 0);
        unit.poke('op_indices', shadow[rs2]! >>> 0);
        unit.poke('op_old', shadow[rd]! >>> 0);
        unit.poke('data_rvalid', 0);
        const address = unit.peek('data_addr');
        expect(address).toBe(e.dataAccesses[0]!.addr);
        unit.step();
        // Response: the aligned word the data bus returns.
        unit.poke('issue_valid', 0);
        unit.poke('data_rvalid', 1);
        const word = memory.readBytes(address & ~3, 4);
        unit.poke('data_rdata', (word[0]! | (word[1]! << 8) | (word[2]! << 16) | (word[3]! << 24)) >>> 0);
        const hdlWrites = [{ reg: unit.peek('wb_rd_addr'), value: unit.peek('wb_rd_data') | 0 }];
        if (unit.peek('wb_rs2_we')) hdlWrites.push({ reg: unit.peek('wb_rs2_addr'), value: unit.peek('wb_rs2_data') | 0 });
        expect(unit.peek('wb_rd_we')).toBe(1);
        expect(hdlWrites, `${e.insn.def.mnemonic} at ${e.pc.toString(16)}`).toEqual(e.regWrites);
        unit.step();
      }
      for (const w of e.regWrites) shadow[w.reg] = w.value;
    }
    expect(gathers).toBe(4 * 2 * 4 * 2); // channels x groups x lanes x pixels
  });
});
