// Co-simulation of one program in the instruction-set simulator and in the hardware: every
// revision-2 instruction the ISS retires is decoded by the HDL decoder and executed by the HDL
// nm-mac block, from the register values the ISS had before it (x28..x31 through the block's sum
// port). The block must load from the same address and write the same x28..x31 as the ISS.
import { expect, it } from 'vitest';
import { elaborate } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import { MacDecoder } from '../../hw/ext/r2/decoder.js';
import { MacUnit } from '../../hw/ext/r2/mac-unit.js';
import { SUM_COUNT, SUM_FIRST_REGISTER } from '../../isa/xnmsparse/mac.js';
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

// A group of R2.2 in a loop, alternating the unsigned and signed forms, the first group of the
// sums started by nm.mul4; at the end an nm.mac4 whose weights are a sum (t3 = x28) and the sums
// copied out.
const program = `
  li s0, ${dataBase}
  addi s1, s0, ${streamOffset}
  li s2, ${groups}
  lw t0, 0(s1)
  lw t2, 8(s1)
  nm.mul4.s s0, t0, t2, 1, 3
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
  bnez s2, 1b
  nm.mul4.u s0, t1, t3, 1, 0
  nm.mac4.s s0, t0, t3, 0, 2
  mv a2, t3
  mv a3, t4
  mv a4, t5
  mv a5, t6`;

it('ISS and HDL agree on every nm.mac4 and nm.mul4 of a sparse dot product', () => {
  const random = new Random(11);
  const { hart, before, run } = execute(program, data(random));
  const events: { event: RetireEvent; sums: number[] }[] = [];
  hart.onRetire = (event) => events.push({ event, sums: Array.from(hart.regs.slice(SUM_FIRST_REGISTER, SUM_FIRST_REGISTER + SUM_COUNT)) });
  run();

  const decoder = new RtlSimulator(elaborate(MacDecoder, {}));
  const unit = new RtlSimulator(elaborate(MacUnit, {}));
  unit.reset();
  unit.poke('data_gnt', 1);
  unit.poke('data_err', 0);
  const shadow = Int32Array.from(before); // the ISS registers before each retired instruction
  const counts = { mac4: 0, mul4: 0 };
  for (const { event: e, sums } of events) {
    const at = `${e.insn.def.mnemonic} at ${e.pc.toString(16)}`;
    decoder.poke('instr', e.word >>> 0);
    const isMac = decoder.peek('mac') === 1;
    expect(isMac, at).toBe(e.insn.def.mnemonic.startsWith('nm.'));
    if (isMac) {
      counts[decoder.peek('start') ? 'mul4' : 'mac4']++;
      unit.poke('issue_valid', 1);
      for (const field of ['signed', 'start', 'half', 'lane']) unit.poke(`issue_${field}`, decoder.peek(field === 'signed' ? 'signed_act' : field));
      unit.poke('op_base', shadow[decoder.peek('rs1')]! >>> 0);
      unit.poke('op_offsets', shadow[decoder.peek('rs2')]! >>> 0);
      unit.poke('op_weights', shadow[decoder.peek('rs3')]! >>> 0);
      unit.poke('data_rvalid', 0);
      expect(unit.peek('issue_ready'), at).toBe(1);
      expect(unit.peek('data_addr'), at).toBe(e.dataAccesses[0]!.addr);
      unit.step();
      // Response: the word the ISS loaded; the sums go in as the ISS had them before.
      unit.poke('issue_valid', 0);
      unit.poke('data_rvalid', 1);
      unit.poke('data_rdata', e.dataAccesses[0]!.value >>> 0);
      unit.poke('sums', Array.from(shadow.slice(SUM_FIRST_REGISTER, SUM_FIRST_REGISTER + SUM_COUNT)).reduce((w, v, p) => w | (BigInt(v >>> 0) << BigInt(32 * p)), 0n));
      expect(unit.peek('sums_we'), at).toBe(1);
      const next = unit.peekBig('next_sums');
      expect(Array.from({ length: SUM_COUNT }, (_, p) => Number(BigInt.asIntN(32, next >> BigInt(32 * p)))), at).toEqual(sums);
      unit.step();
      unit.poke('data_rvalid', 0);
      shadow.set(sums, SUM_FIRST_REGISTER);
    }
    for (const w of e.regWrites) shadow[w.reg] = w.value;
  }
  expect(counts).toEqual({ mac4: 4 * groups + 1, mul4: 2 });
  expect(Array.from(hart.regs.slice(12, 16))).toEqual(Array.from(hart.regs.slice(SUM_FIRST_REGISTER, SUM_FIRST_REGISTER + SUM_COUNT)));
});
