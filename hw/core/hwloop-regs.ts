// The two CORE-V hardware loops' registers (start, end, count), written by the Xcvhwlp rows with
// exactly the values their semantics write (isa/tables/xcv-hwloop.ts; `op` from hwloopControl) and
// counted down by the fetch unit's `dec` (a loop's last instruction leaving decode, when the ISS's
// HardwareLoops.next decrements). They are read by the fetch unit (the zero-overhead jump) and by
// the CSR unit (lpstart0..lpcount1). A write and a decrement of the same count in one cycle: the
// write wins, as in CV32E40P (the body rules keep a setup instruction out of a loop's last slot).
import { defineModule, mux, U, UInt } from '../hdl/index.js';
import { COUNT_FROM, END_FROM, HWLOOP_IMM2_BITS, HWLOOP_IMM_BITS, HWLOOP_OP_FIELDS, HWLOOP_OP_WIDTH, START_FROM } from './hwloop-ops.js';

/** Bytes of a setup instruction: the body of cv.setup(i) starts right after it (always 32-bit). */
const SETUP_LENGTH = 4;

export const HwloopRegs = defineModule('HwloopRegs', (m) => {
  const write = m.input('write', UInt(1));
  const op = m.input('op', UInt(HWLOOP_OP_WIDTH));
  const loop = m.input('loop', UInt(1));
  const a = m.input('a', UInt(32));
  const imm = m.input('imm', UInt(32));
  const imm2 = m.input('imm2', UInt(32));
  const pc = m.input('pc', UInt(32));
  const dec = m.input('dec', UInt(2));
  const decEnable = m.input('dec_enable', UInt(1));

  const startFrom = m.node('start_from', op.bits(HWLOOP_OP_FIELDS.start + 1, HWLOOP_OP_FIELDS.start));
  const endFrom = m.node('end_from', op.bits(HWLOOP_OP_FIELDS.end + 1, HWLOOP_OP_FIELDS.end));
  const countFrom = m.node('count_from', op.bits(HWLOOP_OP_FIELDS.count + 1, HWLOOP_OP_FIELDS.count));
  // The decoder's 32-bit slots hold unsigned offsets and counts no wider than these for every row.
  m.unused(imm.bits(31, HWLOOP_IMM_BITS), imm2.bits(31, HWLOOP_IMM2_BITS));
  const pcOffset = m.node('pc_offset', pc.add(imm.bits(HWLOOP_IMM_BITS - 1, 0).zext(32)));
  const nextPc = m.node('next_pc', pc.add(U(SETUP_LENGTH, 32)));

  const startValue = m.wire('start_value', UInt(32));
  m.switch(startFrom)
    .is(START_FROM.rs1, () => startValue.assign(a))
    .is(START_FROM.nextPc, () => startValue.assign(nextPc))
    .default(() => startValue.assign(pcOffset));
  const endValue = m.node('end_value', mux(endFrom.eq(END_FROM.rs1), a, pcOffset));
  const countValue = m.node('count_value', mux(countFrom.eq(COUNT_FROM.rs1), a, imm2.bits(HWLOOP_IMM2_BITS - 1, 0).zext(32)));

  const outputs = [0, 1].map((l) => {
    const start = m.reg(`start${l}`, UInt(32), { reset: 0 });
    const end = m.reg(`end${l}`, UInt(32), { reset: 0 });
    const count = m.reg(`count${l}`, UInt(32), { reset: 0 });
    const writeLoop = m.node(`write_loop${l}`, write.and(loop.eq(l)));
    m.when(decEnable.and(dec.bit(l)), () => count.assign(count.sub(1)));
    m.when(writeLoop.and(startFrom.ne(START_FROM.none)), () => start.assign(startValue));
    m.when(writeLoop.and(endFrom.ne(END_FROM.none)), () => end.assign(endValue));
    m.when(writeLoop.and(countFrom.ne(COUNT_FROM.none)), () => count.assign(countValue));
    const startOut = m.output(`hwlp_start${l}`, UInt(32));
    const endOut = m.output(`hwlp_end${l}`, UInt(32));
    const countOut = m.output(`hwlp_count${l}`, UInt(32));
    startOut.assign(start);
    endOut.assign(end);
    countOut.assign(count);
    return { start: startOut, end: endOut, count: countOut };
  });

  return {
    write, op, loop, a, imm, imm2, pc, dec, decEnable,
    hwlpStart0: outputs[0]!.start, hwlpEnd0: outputs[0]!.end, hwlpCount0: outputs[0]!.count,
    hwlpStart1: outputs[1]!.start, hwlpEnd1: outputs[1]!.end, hwlpCount1: outputs[1]!.count,
  };
});
