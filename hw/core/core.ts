// A CV32E40P-class core: four stages, in order, one instruction per cycle (docs/core.md).
//
//   IF  fetch (u_if): prefetch, alignment of 16/32-bit instructions, RVC expansion, zero-overhead
//       hardware-loop jumps; offers one instruction per cycle to the decode register.
//   ID  the decode register, the decoder (u_dec), register reads with forwarding, hazards, jumps
//       (jal, jalr) and the controller; hardware-loop set-ups write their registers here.
//   EX  ALU, multiplier with dot products, divider, CSRs, the load-store unit's request (also
//       nm.mac4's); every result but load data is written back from here.
//   WB  load data written back; nm.mac4's sums (x28..x31) computed and written back.
//
// The timing is the CV32E40P's, which the ISS models (docs/cv32e40p.md#timing): the same events
// cost the same cycles because they come from the same structure (branches decided in EX, jumps in
// ID, load data one stage after ALU results, multi-cycle units holding EX, the controller's flush
// sequences). The `trace_*` outputs report each instruction leaving decode and every register
// write, for co-simulation with the ISS; they are wires, no logic.
import { cat, defineModule, type Expr, mux, type Ports, type Signal, U, UInt } from '../hdl/index.js';
import { SUM_BUS_BITS } from '../ext/r2/sums.js';
import { controller, ExceptionCause } from './controller.js';
import { interruptController } from './int-controller.js';
import { CoreDecoder } from './decoder.js';
import { forwarded, jalrStall, loadStall, type PendingWrite, type SourceRead, sumStall } from './hazards.js';
import { macWriteback } from './mac-writeback.js';
import { loopDecode } from './loop-decode.js';
import { pins } from './pins.js';
import { readPort, RegFile, writePort } from './regfile.js';
import { CoreAlu } from './alu.js';
import { CoreMultiplier } from './multiplier.js';
import { CoreDivider } from './divider.js';
import { CoreLsu } from './lsu.js';
import { CoreCsr, HPM_EVENT_INPUT_BASE, HPM_EVENT_INPUT_WIDTH } from './csr.js';
import { HwloopRegs } from './hwloop-regs.js';
import { CoreFetch } from './fetch.js';
import { CARRIED_FIELDS, LSU_OFFSET } from './control.js';
import { CSR_OP, CSR_OP_WIDTH } from './csr-ops.js';
import { MULTIPLIER_OP_FIELDS } from './multiplier-ops.js';
import { ExUnit, type ExUnitName } from './ex-unit.js';
import { HPM_EVENT } from '../../isa/csr-values.js';

export interface CoreParams {
  /** 1: Xnmsparse revision 2 (nm.mac4, nm.mul4; the sums in x28..x31) in the pipeline. */
  readonly extension: 0 | 1;
}

export const Core = defineModule('Core', (m, p: CoreParams): Ports => {
  const extension = p.extension === 1;
  const bootAddr = m.input('boot_addr', UInt(32));
  const hartId = m.input('hart_id', UInt(32));
  // The interrupt lines and the acknowledgement of the one taken, as the CV32E40P names them.
  const irqLines = m.input('irq_i', UInt(32));
  const irqAck = m.output('irq_ack_o', UInt(1));
  const irqIdOut = m.output('irq_id_o', UInt(5));

  // ---------------------------------------------------------------- IF
  const fetchIo = pins('u_if', m.instance('u_if', CoreFetch, {}));
  const instrPorts = ['instr_req', 'instr_addr'].map((n) => [n, m.output(n, UInt(fetchIo(n).type.width))] as const);
  for (const [n, port] of instrPorts) port.assign(fetchIo(n));
  for (const n of ['instr_gnt', 'instr_rvalid', 'instr_rdata', 'instr_err']) fetchIo(n).assign(m.input(n, UInt(fetchIo(n).type.width)));
  fetchIo('boot_addr').assign(bootAddr);

  // ---------------------------------------------------------------- ID register
  const idValid = m.reg('id_valid', UInt(1), { reset: 0 });
  // The word stays when the instruction leaves or is dropped: some checks read it (hazards.ts).
  const idInstr = m.reg('id_instr', UInt(32), { reset: 0 });
  const idPc = m.reg('id_pc', UInt(32), { reset: 0 });
  const idCompressed = m.reg('id_compressed', UInt(1), { reset: 0 });
  const idIllegalC = m.reg('id_illegal_c', UInt(1), { reset: 0 });
  const idFetchErr = m.reg('id_fetch_err', UInt(1), { reset: 0 });
  const idHwlpDec = m.reg('id_hwlp_dec', UInt(2), { reset: 0 });

  const dec = pins('u_dec', m.instance('u_dec', CoreDecoder, { extension }));
  dec('instr').assign(idInstr);
  const d = (name: string): Signal => dec(name);

  const rf = m.instance('u_rf', RegFile, { depth: 32, width: 32, readPorts: 3, writePorts: 2, zeroReg: 1, sumPort: extension ? 1 : 0 });
  const portA = readPort(rf, 0);
  const portB = readPort(rf, 1);
  const portC = readPort(rf, 2);
  portA.addr.assign(d('rs1_addr'));
  portB.addr.assign(d('rs2_addr'));
  portC.addr.assign(d('rc_addr'));

  // ---------------------------------------------------------------- EX registers
  const exValid = m.reg('ex_valid', UInt(1), { reset: 0 });
  const exFirst = m.reg('ex_first', UInt(1), { reset: 0 });
  const exUnit = m.reg('ex_unit', UInt(3), { reset: ExUnit.none });
  const exA = m.reg('ex_a', UInt(32));
  const exB = m.reg('ex_b', UInt(32));
  const exC = m.reg('ex_c', UInt(32));
  const exImm = m.reg('ex_imm', UInt(32));
  const exImm2 = m.reg('ex_imm2', UInt(32));
  const exPc = m.reg('ex_pc', UInt(32));
  const exAluWe = m.reg('ex_alu_we', UInt(1), { reset: 0 });
  const exAluWaddr = m.reg('ex_alu_waddr', UInt(5));
  const exLoadWe = m.reg('ex_load_we', UInt(1), { reset: 0 });
  const exRd = m.reg('ex_rd', UInt(5));
  const exBranch = m.reg('ex_branch', UInt(1), { reset: 0 });
  const exBranchTarget = m.reg('ex_branch_target', UInt(32));
  const exResult = m.wire('ex_result', UInt(32));
  const exUnitReady = m.wire('ex_unit_ready', UInt(1));

  // ---------------------------------------------------------------- WB registers
  const wbLoad = m.reg('wb_load', UInt(1), { reset: 0 });
  const wbRd = m.reg('wb_rd', UInt(5));
  // The pc of the access whose response comes in WB: an access fault's mepc.
  const wbPc = m.reg('wb_pc', UInt(32));

  const lsu = pins('u_lsu', m.instance('u_lsu', CoreLsu, {}));
  const wbData = lsu('wb_rdata');
  const wbDataValid = m.node('wb_data_valid', wbLoad.and(lsu('wb_valid')));
  const wbReady = lsu('wb_ready');

  // ---------------------------------------------------------------- hazards and operands
  const exWrite: PendingWrite & { data: Expr } = { enable: m.node('ex_fw_we', exValid.and(exAluWe)), addr: exAluWaddr, data: exResult };
  const wbWrite: PendingWrite & { data: Expr } = { enable: wbDataValid, addr: wbRd, data: wbData };
  const exLoad: PendingWrite = { enable: m.node('ex_is_load', exValid.and(exLoadWe)), addr: exRd };
  const wbWaiting: PendingWrite = { enable: m.node('wb_waiting', wbLoad.and(wbReady.not())), addr: wbRd };
  const srcA: SourceRead = { addr: d('rs1_addr'), used: d('uses_rs1') };
  const srcB: SourceRead = { addr: d('rs2_addr'), used: d('uses_rs2') };
  const srcC: SourceRead = { addr: d('rc_addr'), used: d('uses_rc') };
  const operandA = forwarded(m, 'operand_a', srcA, portA.data, exWrite, wbWrite);
  const operandB = forwarded(m, 'operand_b', srcB, portB.data, exWrite, wbWrite);
  const operandC = forwarded(m, 'operand_c', srcC, portC.data, exWrite, wbWrite);

  const exReady = m.node('ex_ready', exValid.not().or(exUnitReady.and(wbReady)));
  const branchTaken = m.wire('branch_taken', UInt(1));
  const idAluWe = m.node('id_alu_we', d('rd_we_ex').or(d('rs1_we_ex')));
  const idAluWaddr = m.node('id_alu_waddr', mux(d('rs1_we_ex'), d('rs1_addr'), d('rd_addr')));
  const isDecodingWire = m.wire('is_decoding_w', UInt(1));
  const stallLoad = loadStall(m, {
    exLoad,
    wbWaiting,
    sources: [srcA, srcB, srcC],
    // The CV32E40P leaves this comparison out while a split access's first half is in EX (its
    // decode waits for the second anyway): the wait then comes a cycle later and is no stall event.
    exWrite: { enable: isDecodingWire.and(idAluWe).and(lsu('ex_split_first').not()), addr: idAluWaddr },
  });
  const stallJalr = jalrStall(m, { isJalr: d('is_jalr'), base: srcA, writes: [exWrite, exLoad, { enable: wbLoad, addr: wbRd }] });
  // Xnmsparse (docs/isa-extension.md R2.6): an instruction on the multiplier waits while an nm.mac4
  // is in EX, because the multiplier's lanes compute that nm.mac4's products when its data returns;
  // one naming x28..x31 waits while an nm.mac4 is in EX or WB, as they are written at the end of WB.
  const exIsMac = m.wire('ex_is_mac_w', UInt(1));
  const exMac = m.node('ex_mac', exValid.and(exIsMac));
  const wbMac = m.wire('wb_mac_w', UInt(1));
  const stallLanes = m.node('lane_stall', exMac.and(d('ex_unit').eq(ExUnit.multiplier)));
  const writesRd = d('rd_we_ex').or(d('rd_we_wb'));
  const stallSums = sumStall(m, { busy: exMac.or(wbMac), named: [srcA, srcB, srcC, { addr: d('rd_addr'), used: writesRd }] });
  const idReady = m.node('id_ready', stallLoad.not().and(stallJalr.not()).and(stallLanes.not()).and(stallSums.not()).and(exReady));

  // A word that came with a bus error is no instruction: its fetch fault (cause 1) wins over
  // whatever its data decode to, as RISC-V orders the two.
  const illegal = m.node('illegal', d('legal').not().or(idIllegalC).and(idFetchErr.not()));
  const inLoopStateWire = m.wire('in_loop_state_w', UInt(1));
  const exTrap = m.wire('ex_trap', UInt(1));
  const wbTrap = m.wire('wb_trap', UInt(1));
  const wbTrapCause = m.wire('wb_trap_cause', UInt(5));
  const wbTrapPc = m.wire('wb_trap_pc', UInt(32));
  const csr = pins('u_csr', m.instance('u_csr', CoreCsr, {}));
  const irq = interruptController(m, { lines: irqLines, enabled: csr('mie_bypass'), globalEnable: csr('mstatus_mie_o') });
  const ctrl = controller(m, {
    decode: {
      valid: idValid,
      illegalWord: illegal,
      fetchError: idFetchErr,
      ecall: d('is_ecall'),
      ebreak: d('is_ebreak'),
      mret: d('is_mret'),
      fence: d('is_fence'),
      wfi: d('is_wfi'),
      statusCsr: d('status_csr'),
      illegalCsr: m.node('id_csr_illegal', d('legal').and(d('ex_unit').eq(ExUnit.csr)).and(csr('id_csr_illegal'))),
      inLoopState: inLoopStateWire,
      ready: idReady,
    },
    branchTaken,
    // A load or store counts as done at each grant, a split access's first half included.
    exDone: m.node('ex_done', exValid.not().or(mux(exUnit.eq(ExUnit.lsu), lsu('ex_granted'), exUnitReady)).and(wbReady)),
    exTrap: { valid: exTrap, cause: U(ExceptionCause.illegal, 5) },
    wbTrap: { valid: wbTrap, cause: wbTrapCause },
    irq,
  });
  irqAck.assign(ctrl.interrupt);
  irqIdOut.assign(irq.id);
  isDecodingWire.assign(ctrl.isDecoding);
  const idLeaves = m.node('id_leaves', ctrl.isDecoding.and(idReady));

  // ---------------------------------------------------------------- jumps and fetch control
  const length = mux(idCompressed, U(2, 32), U(4, 32));
  const jumpDone = m.reg('jump_done', UInt(1), { reset: 0 });
  const isJump = m.node('is_jump', d('is_jal').or(d('is_jalr')));
  // A jump whose link register is a sum waits for it before it jumps, as the ISS charges it (unlike a
  // load stall, during which the jump is taken), except while EX is busy (an nm.mac4 waiting for its
  // grant), when a jump is taken in decode whatever holds it there.
  const sumHoldsJump = m.node('sum_holds_jump', stallSums.and(exReady));
  const jumpInDecode = m.node('jump_in_decode', ctrl.isDecoding.and(isJump).and(stallJalr.not()).and(sumHoldsJump.not()).and(jumpDone.not()));
  const backEdgeJump = m.wire('back_edge_jump', UInt(1));
  jumpDone.assign(jumpDone.or(jumpInDecode).or(backEdgeJump).and(idReady.not()));
  const jalTarget = idPc.add(d('imm'));
  // jalr reads its base from the register file itself: the jalr stall waits for every older write.
  const jalrTarget = portA.data.add(d('imm')).and(U(0xfffffffe, 32));
  const jumpTarget = m.node('jump_target', mux(d('is_jalr'), jalrTarget, jalTarget));

  const backEdgeTarget = m.wire('back_edge_target', UInt(32));
  // Exceptions go to mtvec's base; an interrupt in vectored mode to the base plus 4 per line number.
  const trapVector = m.node('trap_vector', csr('mtvec').or(mux(ctrl.interrupt.and(csr('mtvec_vectored')), irq.id.zext(32).shl(2), U(0, 32))));
  const pcSet = m.node('pc_set', branchTaken.or(ctrl.jumpTrap).or(ctrl.jumpNext).or(ctrl.jumpMepc).or(jumpInDecode).or(backEdgeJump));
  const pcTarget = m.node(
    'pc_target',
    mux(branchTaken, exBranchTarget,
      mux(ctrl.jumpTrap, trapVector,
        mux(ctrl.jumpNext, idPc.add(4),
          mux(ctrl.jumpMepc, csr('mepc'), mux(backEdgeJump, backEdgeTarget, jumpTarget))))),
  );
  fetchIo('pc_set').assign(pcSet);
  fetchIo('pc_target').assign(pcTarget);
  const fetchAccept = m.node('fetch_accept', fetchIo('if_valid').and(idReady).and(ctrl.haltFetch.not()).and(pcSet.not()));
  fetchIo('id_ready').assign(fetchAccept);
  fetchIo('decode_ready').assign(idReady.and(ctrl.haltFetch.not()));
  m.when(fetchAccept, () => {
    idValid.assign(1);
    idInstr.assign(fetchIo('if_instr'));
    idPc.assign(fetchIo('if_pc'));
    idCompressed.assign(fetchIo('if_compressed'));
    idIllegalC.assign(fetchIo('if_illegal_c'));
    idFetchErr.assign(fetchIo('if_fetch_err'));
    idHwlpDec.assign(fetchIo('if_hwlp_dec'));
  }).elseWhen(idReady.or(branchTaken).or(ctrl.haltDecode), () => idValid.assign(0));

  // ---------------------------------------------------------------- hardware loops (written from ID)
  const hwlp = pins('u_hwlp', m.instance('u_hwlp', HwloopRegs, {}));
  hwlp('op').assign(d('hwloop_op'));
  hwlp('write').assign(idLeaves.and(d('is_hwloop')));
  hwlp('a').assign(operandA);
  hwlp('loop').assign(d('loop'));
  hwlp('imm').assign(d('imm'));
  hwlp('imm2').assign(d('imm2'));
  hwlp('pc').assign(idPc);
  hwlp('dec').assign(idHwlpDec);
  hwlp('dec_enable').assign(idLeaves);
  for (const n of ['start0', 'start1', 'end0', 'end1', 'count0', 'count1']) fetchIo(`hwlp_${n}`).assign(hwlp(`hwlp_${n}`));
  const loops = [0, 1].map((l) => ({ start: hwlp(`hwlp_start${l}`), end: hwlp(`hwlp_end${l}`), count: hwlp(`hwlp_count${l}`) }));
  // Where a flushing instruction goes on: mret to mepc, a status CSR to its successor (the loop's
  // start when it is a body's last instruction with iterations left).
  const takesBackEdge = loops.map((l, i) => idHwlpDec.bit(i).and(l.count.gt(1)));
  const successor = mux(takesBackEdge[0]!, loops[0]!.start, mux(takesBackEdge[1]!, loops[1]!.start, idPc.add(length)));
  const loopState = loopDecode(m, {
    loops,
    pc: idPc,
    leaves: idLeaves,
    decrements: idHwlpDec,
    flushes: d('is_mret').or(d('status_csr')),
    flushTarget: mux(d('is_mret'), csr('mepc'), successor),
    written: m.node('hwlp_written', cat(d('loop'), d('loop').not()).and(idLeaves.and(d('is_hwloop')).rep(2))),
  });
  inLoopStateWire.assign(loopState.inLoopState);
  // As the CV32E40P's controller does it: in the first cycle the instruction is in decode, whatever
  // holds it there (a load-use stall, an older instruction in EX), so that the wait hides the bubble.
  backEdgeJump.assign(ctrl.isDecoding.and(loopState.backEdgeDue).and(jumpDone.not()));
  backEdgeTarget.assign(loopState.backEdgeTarget);

  // ---------------------------------------------------------------- ID -> EX
  // A set or clear whose rs1 field (register or immediate) is zero only reads its CSR.
  const csrOp = m.node('csr_op_id', mux(d('rs1_addr').eq(0).and(d('csr_op').ne(CSR_OP.write)), U(CSR_OP.read, CSR_OP_WIDTH), d('csr_op')));
  // The access of the instruction in decode, which the controller may trap on there (in the loop state).
  csr('id_csr_op').assign(csrOp);
  csr('id_csr_addr').assign(d('imm').bits(11, 0));
  const carried = new Map<string, Expr>([
    ...CARRIED_FIELDS.map((name) => [name, d(name)] as const),
    ['csr_op', csrOp],
  ]);
  const ex = new Map([...carried].map(([name, value]) => [name, m.reg(`ex_${name}`, UInt(value.type.width))]));
  const exField = (name: string): Expr => ex.get(name)!;
  const operandBSelected = mux(d('b_is_length'), length, mux(d('b_is_imm'), d('imm'), operandB));
  m.when(idLeaves, () => {
    exValid.assign(1);
    exFirst.assign(1);
    exUnit.assign(d('ex_unit'));
    for (const [name, value] of carried) if (!(extension && name === 'mult_op')) ex.get(name)!.assign(value);
    exA.assign(mux(d('a_is_pc'), idPc, operandA));
    exB.assign(operandBSelected);
    exC.assign(operandC);
    exImm.assign(d('imm'));
    exImm2.assign(d('imm2'));
    exPc.assign(idPc);
    exAluWe.assign(idAluWe);
    exAluWaddr.assign(idAluWaddr);
    exLoadWe.assign(d('rd_we_wb'));
    exRd.assign(d('rd_addr'));
    exBranch.assign(d('is_branch'));
    exBranchTarget.assign(idPc.add(d('imm')));
  }).elseWhen(exReady.or(ctrl.kill), () => {
    exValid.assign(0);
    exFirst.assign(0);
  }).otherwise(() => exFirst.assign(0));
  // With Xnmsparse the multiplier's op changes only with a row of its own or an nm.mac4: in an
  // nm.mac4's WB (no multiplier row is in EX then) its lanes work on that nm.mac4's op (or on that
  // of the nm.mac4 behind it, the same but for the signedness, which hw/core/mac-writeback.ts keeps).
  if (extension) m.when(idLeaves.and(d('ex_unit').eq(ExUnit.multiplier).or(d('is_mac'))), () => ex.get('mult_op')!.assign(d('mult_op')));

  // ---------------------------------------------------------------- EX
  const inExNodes = new Map<ExUnitName, Expr>();
  const inEx = (unit: ExUnitName): Expr => {
    if (!inExNodes.has(unit)) inExNodes.set(unit, m.node(`ex_in_${unit}`, exValid.and(exUnit.eq(ExUnit[unit]))));
    return inExNodes.get(unit)!;
  };
  const alu = pins('u_alu', m.instance('u_alu', CoreAlu, {}));
  const mult = pins('u_mult', m.instance('u_mult', CoreMultiplier, { macLanes: extension }));
  const div = pins('u_div', m.instance('u_div', CoreDivider, {}));
  for (const io of [alu, mult]) {
    io('a').assign(exA);
    io('b').assign(exB);
    io('c').assign(exC);
    io('imm').assign(exImm);
    io('imm2').assign(exImm2);
  }
  alu('op').assign(exField('alu_op'));
  mult('op').assign(exField('mult_op'));
  mult('start').assign(inEx('multiplier'));
  mult('first').assign(exFirst);
  div('op').assign(exField('div_op'));
  div('a').assign(exA);
  div('b').assign(exB);
  div('start').assign(inEx('divider'));
  div('first').assign(exFirst);
  branchTaken.assign(m.node('branch_taken_ex', exValid.and(exBranch).and(alu('branch_taken'))));

  // A trap from EX or WB kills the instruction in EX: it must not start an access (below).
  lsu('ex_first').assign(exFirst);
  lsu('we').assign(exField('lsu_we'));
  lsu('size').assign(exField('lsu_size'));
  lsu('sign_ext').assign(exField('lsu_sign_ext'));
  lsu('post_increment').assign(exField('lsu_post_increment'));
  lsu('base').assign(exA);
  const lsuOffset = exField('lsu_offset');
  // nm.mac4's offset (with the extension only): the 16-bit half of rs2 its immediate selects, zero-extended.
  const offsetHalf = mux(exImm.bit(0), exB.bits(31, 16), exB.bits(15, 0)).zext(32);
  const immOrHalf = extension ? mux(lsuOffset.eq(LSU_OFFSET.rs2_half), offsetHalf, exImm) : exImm;
  lsu('offset').assign(mux(lsuOffset.eq(LSU_OFFSET.rs2), exB, mux(lsuOffset.eq(LSU_OFFSET.rs3), exC, immOrHalf)));
  lsu('wdata').assign(exB);

  // CSRs: accessed in EX; counters, traps and mret from the controller.
  const inCsr = inEx('csr');
  csr('csr_access').assign(inCsr);
  csr('csr_op').assign(exField('csr_op'));
  csr('csr_addr').assign(exImm.bits(11, 0));
  csr('csr_wdata').assign(mux(exField('csr_imm'), exImm2, exA));
  csr('hart_id').assign(hartId);
  const retire = m.node('retire', idLeaves.and(illegal.or(idFetchErr).or(d('is_ecall')).or(d('is_ebreak')).not()));
  // Counted one cycle later, as the CV32E40P registers its minstret event: an instruction reading
  // minstret in EX does not count itself.
  const retireQ = m.reg('retire_q', UInt(1), { reset: 0 });
  retireQ.assign(retire);
  // An instruction that leaves decode and traps in EX, or is killed by an older one's access fault,
  // does not retire.
  csr('retire').assign(retireQ.and(ctrl.kill.not()));
  // The events of mhpmcounter3 (docs/cv32e40p.md#performance-counter), registered like the
  // retirement: those of an instruction leaving decode count only when it retires. A stall counts
  // in its first cycle only, the one right after an instruction left decode, as on the CV32E40P
  // (whose jalr stall counts on the word left in decode too: a jalr waiting for its own link).
  const leftQ = m.reg('id_left_q', UInt(1), { reset: 0 });
  leftQ.assign(idLeaves);
  const firstStallCycle = m.node('first_stall_cycle', leftQ.and(ctrl.haltDecode.not()));
  const unitIs = (unit: ExUnitName): Expr => d('ex_unit').eq(ExUnit[unit]);
  // The rows of the ISS's 'load' and 'store' timing classes: the load-store unit's (nm.mac4 and
  // nm.mul4 load through it).
  const isLoad = unitIs('lsu').and(d('lsu_we').not());
  const isStore = unitIs('lsu').and(d('lsu_we'));
  const atRetire: readonly (readonly [number, Expr])[] = [
    [HPM_EVENT.load, isLoad],
    [HPM_EVENT.store, isStore],
    [HPM_EVENT.jump, isJump],
    [HPM_EVENT.branch, d('is_branch')],
    [HPM_EVENT.compressed, idCompressed],
  ];
  const inDecode: readonly (readonly [number, Expr])[] = [
    // Only a load's: Xnmsparse's waits for the sums and the multiplier's lanes are no event, as on the ISS.
    [HPM_EVENT.loadStall, stallLoad.and(firstStallCycle)],
    [HPM_EVENT.jumpRegisterStall, stallJalr.and(firstStallCycle)],
    // The prefetcher has no word and no redirect is under way.
    [HPM_EVENT.fetchMiss, fetchIo('if_word_valid').not().and(pcSet.not())],
    [HPM_EVENT.branchTaken, branchTaken],
  ];
  const eventBits = (events: readonly (readonly [number, Expr])[], gate: (value: Expr) => Expr): Expr => {
    const bits: Expr[] = Array.from({ length: HPM_EVENT_INPUT_WIDTH }, () => U(0, 1));
    for (const [event, value] of events) bits[event - HPM_EVENT_INPUT_BASE] = gate(value);
    return cat(...bits.reverse());
  };
  const retiredEventsQ = m.reg('hpm_retired_q', UInt(HPM_EVENT_INPUT_WIDTH), { reset: 0 });
  retiredEventsQ.assign(eventBits(atRetire, (value) => retire.and(value)));
  const decodeEventsQ = m.reg('hpm_decode_q', UInt(HPM_EVENT_INPUT_WIDTH), { reset: 0 });
  decodeEventsQ.assign(eventBits(inDecode, (value) => value));
  csr('hpm_events').assign(mux(ctrl.kill, U(0, HPM_EVENT_INPUT_WIDTH), retiredEventsQ).or(decodeEventsQ));
  csr('trap').assign(ctrl.trapSave);
  csr('trap_cause').assign(ctrl.trapCause);
  csr('trap_interrupt').assign(ctrl.interrupt);
  csr('irq_pending').assign(irq.pending);
  csr('clock_gated').assign(ctrl.clockGated);
  // An interrupt taken as the core wakes from wfi names the instruction waiting in fetch.
  const trapPc = m.node('trap_pc', mux(ctrl.trapFrom.wb, wbTrapPc, mux(ctrl.trapFrom.ex, exPc, mux(ctrl.interruptFromFetch, fetchIo('if_pc'), idPc))));
  csr('trap_pc').assign(trapPc);
  // mtval is 0 on the CV32E40P (its register is tied to zero), and on the ISS.
  csr('trap_tval').assign(U(0, 32));
  exTrap.assign(m.node('csr_illegal_ex', inCsr.and(csr('csr_illegal'))));
  csr('mret').assign(ctrl.mretRestore);
  for (const n of ['start0', 'start1', 'end0', 'end1', 'count0', 'count1']) csr(`hwlp_${n}`).assign(hwlp(`hwlp_${n}`));

  // The data port is the load-store unit's; nm.mac4's sums are written back from WB.
  const dataOut = ['data_req', 'data_addr', 'data_we', 'data_be', 'data_wdata'].map((n) => [n, m.output(n, UInt(lsu(n).type.width))] as const);
  const dataIn = ['data_gnt', 'data_rvalid', 'data_rdata', 'data_err'].map((n) => [n, m.input(n, UInt(lsu(n).type.width))] as const);
  for (const [n, port] of dataOut) port.assign(lsu(n));
  for (const [n, port] of dataIn) lsu(n).assign(port);
  exIsMac.assign(exField('is_mac'));
  // nm.mac4 raises the misaligned exception as it issues, instead of splitting the access; an older
  // access's fault in WB comes first.
  const lsuFault = lsu('exc_valid');
  const macMisaligned = m.node('mac_misaligned', exMac.and(lsu('next_base').bits(1, 0).orR()));
  const macTrap = m.node('mac_trap', macMisaligned.and(lsuFault.not()));
  lsu('ex_valid').assign(inEx('lsu').and(ctrl.kill.not()).and(macMisaligned.not()));
  let lanesBusy: Expr = U(0, 1);
  let sumsWritten: { we: Expr; data: Expr } = { we: U(0, 1), data: U(0, SUM_BUS_BITS) };
  if (extension) {
    const sums = macWriteback(m, {
      leaves: m.node('mac_leaves', exMac.and(exReady).and(ctrl.kill.not()).and(macMisaligned.not())),
      weights: exC,
      lane: exImm2.bits(1, 0),
      // The op of the multiplier's lanes says it: cv.dotsp.sc.b for .s, cv.dotusp.sc.b for .u.
      signedAct: exField('mult_op').bit(MULTIPLIER_OP_FIELDS.signedA.lsb),
      start: exField('mac_start'),
      wbReady,
      returned: lsu('wb_valid'),
      word: dataIn[2]![1],
    });
    wbMac.assign(sums.wbMac);
    lanesBusy = sums.laneBusy;
    mult('mac_lanes').assign(sums.laneBusy);
    mult('mac_word').assign(sums.laneWord);
    mult('mac_weight').assign(sums.laneWeight);
    mult('mac_signed').assign(sums.laneSigned);
    sums.products.assign(mult('mac_products'));
    rf.sum_wdata!.assign(sums.nextSums);
    sumsWritten = { we: sums.sumsWe, data: sums.nextSums };
    sums.current.assign(rf.sum_rdata!);
  } else {
    wbMac.assign(0);
  }

  // Access faults come with the response in WB; a misaligned nm.mac4 faults as it issues in EX
  // (mtval stays 0, see the CSRs).
  wbTrap.assign(lsuFault.or(macTrap));
  wbTrapCause.assign(mux(lsuFault, lsu('exc_cause'), U(ExceptionCause.loadMisaligned, 5)));
  wbTrapPc.assign(mux(macTrap, exPc, wbPc));
  m.unused(lsu('exc_tval'));
  m.when(exValid.and(exReady).and(exUnit.eq(ExUnit.lsu)), () => wbPc.assign(exPc));

  m.switch(exUnit)
    .is(ExUnit.multiplier, () => { exResult.assign(mult('result')); exUnitReady.assign(mult('ready').and(lanesBusy.not())); })
    .is(ExUnit.divider, () => { exResult.assign(div('result')); exUnitReady.assign(div('ready')); })
    .is(ExUnit.lsu, () => { exResult.assign(lsu('next_base')); exUnitReady.assign(lsu('ex_ready')); })
    .is(ExUnit.csr, () => { exResult.assign(csr('csr_rdata')); exUnitReady.assign(1); })
    .default(() => { exResult.assign(alu('result')); exUnitReady.assign(1); });

  // ---------------------------------------------------------------- write-back
  const exDone = m.node('ex_write', exValid.and(exReady).and(exAluWe).and(ctrl.kill.not()));
  const wbPort = writePort(rf, 0);
  const exPort = writePort(rf, 1);
  exPort.enable.assign(exDone);
  exPort.addr.assign(exAluWaddr);
  exPort.data.assign(exResult);
  wbPort.enable.assign(wbDataValid);
  wbPort.addr.assign(wbRd);
  wbPort.data.assign(wbData);
  m.when(exValid.and(exReady).and(exLoadWe), () => {
    wbLoad.assign(1);
    wbRd.assign(exRd);
  }).elseWhen(wbReady, () => wbLoad.assign(0));

  // ---------------------------------------------------------------- trace (wires only)
  const trace = (name: string, value: Expr): Signal => {
    const port = m.output(`trace_${name}`, UInt(value.type.width));
    port.assign(value);
    return port;
  };
  trace('leave', idLeaves);
  trace('retire', retire);
  trace('pc', idPc);
  trace('instr', idInstr);
  trace('ex_we', exDone);
  trace('ex_waddr', exAluWaddr);
  trace('ex_wdata', exResult);
  trace('wb_we', wbDataValid);
  trace('wb_waddr', wbRd);
  trace('wb_wdata', wbData);
  // nm.mac4's four sums, x28..x31 (sum p in bits 32p+31..32p); never written without the extension.
  trace('sum_we', sumsWritten.we);
  trace('sum_wdata', sumsWritten.data);
  trace('illegal', illegal);
  trace('trap', ctrl.trapSave);
  trace('trap_cause', ctrl.trapCause);
  trace('trap_pc', trapPc);
  trace('irq', ctrl.interrupt);
  trace('sleeping', ctrl.sleeping);
  return { bootAddr, hartId };
});
