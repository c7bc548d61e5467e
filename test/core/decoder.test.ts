// The core's decoder against the ISA's own decoder (isa/decoder.ts): for every row the core
// implements, words with random operand bits decode to the same row's control fields, the same
// register addresses and the same immediates; words outside the core's rows are illegal.
import { describe, expect, it } from 'vitest';
import { CV32E40P_STATUS_CSRS } from '../../isa/csr-names.js';
import { decode } from '../../isa/decoder.js';
import { buildInstructionTable } from '../../isa/table.js';
import { XNMSPARSE_MAC } from '../../isa/tables/xnmsparse-mac.js';
import { elaborate } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import { coreDecodeTable, coreRows } from '../../hw/core/control.js';
import { CoreDecoder } from '../../hw/core/decoder.js';
import { Random } from '../../util/random.js';

const WORDS_PER_ROW = 24;

describe('core decoder', () => {
  const extension = true;
  const sim = new RtlSimulator(elaborate(CoreDecoder, { extension }));
  const isaTable = buildInstructionTable(XNMSPARSE_MAC);
  const { fields } = coreDecodeTable(extension);
  const random = new Random(15);

  it('decodes every implemented row like the ISA decoder', () => {
    for (const def of coreRows(extension)) {
      for (let n = 0; n < WORDS_PER_ROW; n++) {
        const word = (((random.uint32() & ~def.mask) | def.match) >>> 0);
        const insn = decode(isaTable, word, 0)!;
        expect(insn.def.mnemonic, `0x${word.toString(16)}`).toBe(def.mnemonic);
        sim.poke('instr', word);
        const where = `${def.mnemonic} 0x${word.toString(16)}`;
        expect(sim.peek('legal'), where).toBe(1);
        for (const field of fields.filter((f) => !['rc_high', 'is_csr'].includes(f.name))) expect(sim.peek(field.name), `${where} ${field.name}`).toBe(field.value(def));
        expect(sim.peek('imm'), `${where} imm`).toBe(insn.imm >>> 0);
        expect(sim.peek('imm2'), `${where} imm2`).toBe(insn.imm2 >>> 0);
        if (def.format.reads.includes('rs1') || def.format.writes.includes('rs1')) expect(sim.peek('rs1_addr'), where).toBe(insn.rs1);
        if (def.format.reads.includes('rs2')) expect(sim.peek('rs2_addr'), where).toBe(insn.rs2);
        if (def.format.writes.includes('rd')) expect(sim.peek('rd_addr'), where).toBe(insn.rd);
        if (def.format.reads.includes('rd')) expect(sim.peek('rc_addr'), where).toBe(insn.rd);
        if (def.format.reads.includes('rs3')) expect(sim.peek('rc_addr'), where).toBe(insn.rs3);
        const status = def.timing === 'csr' && CV32E40P_STATUS_CSRS.has(insn.imm);
        expect(sim.peek('status_csr'), `${where} status_csr`).toBe(Number(status));
      }
    }
  });

  it('finds words outside the implemented rows illegal', () => {
    let illegal = 0;
    for (let n = 0; n < 20_000; n++) {
      const word = (random.uint32() | 3) >>> 0;
      sim.poke('instr', word);
      const known = isaTable.lookup(word);
      const implemented = known !== undefined && coreRows(extension).includes(known);
      expect(sim.peek('legal'), `0x${word.toString(16)}`).toBe(Number(implemented));
      if (!implemented) illegal++;
    }
    expect(illegal).toBeGreaterThan(1000);
  });
});
