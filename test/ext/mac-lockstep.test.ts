// Co-simulation of one program in the instruction-set simulator and in the hardware: every
// revision-2 instruction the ISS retires is decoded by the HDL decoder and executed by the HDL
// nm-mac block, from the register values the ISS had before it; accumulator CSR accesses go
// through the block's CSR port. Both must write the same registers with the same values, and the
// block's accumulators must equal the ISS's after every retired instruction.
import { expect, it } from 'vitest';
import { elaborate } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import { MacDecoder } from '../../hw/ext/r2/decoder.js';
import { macIssueKind, MacUnit } from '../../hw/ext/r2/mac-unit.js';
import { CSR, isAccumulatorCsr } from '../../isa/csr-names.js';
import type { RetireEvent } from '../../sim/core/retire.js';
import { Random } from '../../util/random.js';
import { dataBase, execute } from './iss-support.js';

const groups = 8;
const streamOffset = 256; // the activation buffer is the 256 bytes before the stream

/** 256 random activation bytes, then per group two words of two aligned offsets and one word of four weights. */
function data(random: Random): Uint8Array {
  const bytes = new Uint8Array(streamOffset + 12 * groups);
  for (let i = 0; i < streamOffset; i++) bytes[i] = random.below(256);
  const view = new DataView(bytes.buffer);
  for (let g = 0; g < groups; g++) {
    for (let w = 0; w < 2; w++) view.setUint32(streamOffset + 12 * g + 4 * w, (4 * random.below(64)) | ((4 * random.below(64)) << 16), true);
    view.setUint32(streamOffset + 12 * g + 8, random.uint32(), true);
  }
  return bytes;
}

// A group of R2.2, alternating the unsigned and signed forms, in a loop; in the middle a CSR save
// and restore, at the end nm.racc of all four accumulators (one into x0: it still clears).
const program = `
  li s0, ${dataBase}
  addi s1, s0, ${streamOffset}
  li s2, ${groups}
1:
  lw t0, 0(s1)
  lw t1, 4(s1)
  lw t2, 8(s1)
  nm.mac4.u s0, t0, t2, 0, 0
  nm.mac4.s s0, t0, t2, 1, 1
  nm.mac4.u s0, t1, t2, 0, 2
  nm.mac4.s s0, t1, t2, 1, 3
  addi s1, s1, 12
  addi s2, s2, -1
  csrr a6, nmacc1
  csrw nmacc1, a6
  bnez s2, 1b
  csrr a6, nmacc3
  csrw nmacc2, a6
  nm.racc a2, 0
  nm.racc a3, 1
  nm.racc a4, 2
  nm.racc x0, 3`;

/** The accumulator CSR a Zicsr instruction names, or undefined. */
function accumulatorCsr(e: RetireEvent): number | undefined {
  if (e.insn.def.extension !== 'Zicsr') return undefined;
  const csr = e.word >>> 20;
  return isAccumulatorCsr(csr) ? csr - CSR.nmacc0 : undefined;
}

it('ISS and HDL agree on every nm.mac4, nm.racc and accumulator CSR access of a sparse dot product', () => {
  const random = new Random(11);
  const { hart, before, run } = execute(program, data(random));
  const events: { event: RetireEvent; accumulators: number[] }[] = [];
  hart.onRetire = (event) => events.push({ event, accumulators: Array.from(hart.accumulators) });
  run();

  const decoder = new RtlSimulator(elaborate(MacDecoder, {}));
  const unit = new RtlSimulator(elaborate(MacUnit, {}));
  unit.reset();
  unit.poke('data_gnt', 1);
  unit.poke('data_err', 0);
  const shadow = Int32Array.from(before); // the ISS registers before each retired instruction
  const counts = { mac4: 0, racc: 0, csr: 0 };
  for (const { event: e, accumulators } of events) {
    const at = `${e.insn.def.mnemonic} at ${e.pc.toString(16)}`;
    decoder.poke('instr', e.word >>> 0);
    const isMac = decoder.peek('mac') === 1;
    const isRacc = decoder.peek('racc') === 1;
    expect(isMac || isRacc, at).toBe(e.insn.def.mnemonic.startsWith('nm.'));
    const csr = accumulatorCsr(e);
    if (!isMac && !isRacc && csr === undefined) {
      for (const w of e.regWrites) shadow[w.reg] = w.value;
      continue;
    }
    const kind = isMac ? 'mac4' : isRacc ? 'racc' : 'csr';
    counts[kind]++;
    unit.poke('issue_valid', 1);
    unit.poke('issue_kind', macIssueKind[kind]);
    unit.poke('issue_signed', decoder.peek('signed_act'));
    unit.poke('issue_half', decoder.peek('half'));
    unit.poke('issue_lane', decoder.peek('lane'));
    unit.poke('issue_acc', csr ?? decoder.peek('acc'));
    unit.poke('issue_rd', decoder.peek('rd'));
    unit.poke('op_base', shadow[decoder.peek('rs1')]! >>> 0);
    unit.poke('op_offsets', shadow[decoder.peek('rs2')]! >>> 0);
    unit.poke('op_weights', shadow[decoder.peek('rs3')]! >>> 0);
    // Only csrrw and csrr (csrrs from x0) occur: the core's CSR unit would form other new values.
    expect(csr === undefined || ['csrrw', 'csrrs'].includes(e.insn.def.mnemonic), at).toBe(true);
    const csrWrite = e.insn.def.mnemonic === 'csrrw';
    unit.poke('issue_csr_write', Number(csrWrite));
    unit.poke('op_csr_data', shadow[(e.word >>> 15) & 31]! >>> 0);
    unit.poke('data_rvalid', 0);
    expect(unit.peek('issue_ready'), at).toBe(1);
    if (kind === 'mac4') {
      expect(unit.peek('data_addr'), at).toBe(e.dataAccesses[0]!.addr);
      expect(e.regWrites, at).toEqual([]);
      unit.step();
      // Response: the word the ISS loaded.
      unit.poke('issue_valid', 0);
      unit.poke('data_rvalid', 1);
      unit.poke('data_rdata', e.dataAccesses[0]!.value >>> 0);
    } else if (kind === 'racc') {
      expect(unit.peek('wb_rd_we'), at).toBe(1);
      const rd = unit.peek('wb_rd_addr');
      expect(rd === 0 ? [] : [{ reg: rd, value: unit.peek('acc_data') | 0 }], at).toEqual(e.regWrites);
    } else {
      const rd = (e.word >>> 7) & 31;
      expect(e.regWrites, at).toEqual(rd === 0 ? [] : [{ reg: rd, value: unit.peek('acc_data') | 0 }]);
    }
    unit.step();
    unit.poke('issue_valid', 0);
    unit.poke('data_rvalid', 0);
    expect([0, 1, 2, 3].map((p) => unit.peek(`u_acc.acc${p}`) | 0), at).toEqual(accumulators);
    for (const w of e.regWrites) shadow[w.reg] = w.value;
  }
  expect(counts).toEqual({ mac4: 4 * groups, racc: 4, csr: 2 * groups + 2 });
  expect(hart.accumulators).toEqual(new Int32Array(4));
});
