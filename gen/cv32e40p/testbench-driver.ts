// The C++ driver of the Verilator model (gen/cv32e40p/testbench-top.ts): single-cycle memory on
// both OBI ports (grant in the request's cycle when the port has no grant delay, rvalid and data
// the next cycle), with the command line, the memory, the grant delays, the environment calls and
// the report of gen/rtl-harness/driver-support.ts, and the trap policy: "stop" ends the run at an
// illegal instruction, ebreak or an ecall other than exit and write; "auto" and "take" end it until
// the program writes mtvec, then let the core trap to the program's handler (the trapping
// instruction does not retire).
// Cycle 1 is the first clock cycle after reset is released. A retirement is the cycle in which
// the instruction leaves the decode stage; the run's cycles end with the exit ecall's, or with the
// cycle the tohost store left the decode stage (the cycle before its grant, which a grant delay
// postpones).
import { driverSupport } from '../rtl-harness/driver-support.js';
import { TESTBENCH_TOP_MODULE } from './testbench-top.js';
import { RTL_STARTUP_CYCLES } from './divergence.js';

const model = `V${TESTBENCH_TOP_MODULE}`;
const registerFile = `rootp->${TESTBENCH_TOP_MODULE}__DOT__core_i__DOT__id_stage_i__DOT__register_file_i__DOT__mem`;
/** mhpmcounter_q: 32 counters of 64 bits, mcycle first (words 0 and 1). */
const counters = `rootp->${TESTBENCH_TOP_MODULE}__DOT__core_i__DOT__cs_registers_i__DOT__mhpmcounter_q`;
/** A CSR register of the core, by its name in cv32e40p_cs_registers.sv. */
const csr = (name: string): string => `rootp->${TESTBENCH_TOP_MODULE}__DOT__core_i__DOT__cs_registers_i__DOT__${name}`;
/** What the core's trap entry, mret and our handler change: kept while our handler serves an ecall for a program with its own. */
const TRAP_CSRS = ['mtvec_q', 'mepc_q', 'mcause_q', 'mscratch_q', 'mstatus_q'];

export const TESTBENCH_DRIVER = `#include "${model}.h"
#include "${model}___024root.h"
#include "verilated.h"
${driverSupport('cv32e40p', RTL_STARTUP_CYCLES)}
int main(int argc, char** argv) {
  using namespace harness;
  Options o = parse(argc, argv);
  Memory& mem = o.mem;
  FILE* trace = o.trace;
  bool handler_installed = false;

  VerilatedContext ctx;
  ${model} top{&ctx};
  top.boot_addr_i = o.boot;
  top.mtvec_addr_i = 0;
  top.rst_ni = 0;
  for (int i = 0; i < 4; i++) { top.clk_i = 0; top.eval(); top.clk_i = 1; top.eval(); }
  top.clk_i = 0;
  top.eval();
  top.rst_ni = 1;
  top.${registerFile}[2] = o.sp;
  top.${counters}[0] = (uint32_t)o.mcycle;
  top.${counters}[1] = (uint32_t)(o.mcycle >> 32);
  top.eval();

  bool instr_pending = false, data_pending = false, data_read = false, data_clint = false;
  uint32_t instr_addr = 0, data_addr = 0, clint_data = 0;
  Clint clint;
  uint64_t cycle = 0, instret = 0;
  const char* kind = "cycle-limit";
  uint32_t value = 0, stop_pc = 0;
  std::string output;
  // Cycles spent in the write handler beyond the one the ISS charges an ecall: left out of every
  // cycle reported (now = cycle - skew) and of mcycle.
  uint64_t skew = 0, ecall_now = 0, tohost_now = 0;
  // mhpmcounter3 once the events of the instructions before an ecall are counted (the cycle after
  // it left decode): what it reads after the driver's handler, unless it counts cycles.
  uint64_t hpm_at_ecall = 0;
  // The cycle the last instruction left decode: a wfi's, when the core then sleeps for good.
  // A run stopped by an illegal instruction ends with the cycles before it, as the ISS counts a
  // fault (the instruction itself never completes).
  uint64_t last_leave = 0, wfi_end = 0, fault_end = 0;
  bool hpm_snapshot = false;
  int drain = -1;       // cycles left before reading a0..a2 and a7 after an ecall was decoded
  bool in_handler = false;
  // An ecall while traps are taken: ours (exit, write) or the program's handler's, known after the drain.
  bool ecall_undecided = false;
  // An ecall we serve although the program has a handler: its trap CSRs as they were at the ecall,
  // put back when our handler returns, and whether the jump to it has been arranged.
  struct {
${TRAP_CSRS.map((name) => `    decltype(top.${csr(name)}) ${name};`).join('\n')}
  } program_csrs{};
  bool redirected = false, restore_csrs = false;
  for (cycle = 1;; cycle++) {
    const uint64_t now = cycle - skew;
    if (o.max_cycles != 0 && now > o.max_cycles && drain < 0) { cycle--; break; }
    top.clk_i = 0;
    top.instr_rvalid_i = instr_pending;
    top.instr_rdata_i = instr_pending ? mem.word(instr_addr) : 0;
    top.data_rvalid_i = data_pending;
    top.data_rdata_i = !(data_pending && data_read) ? 0 : data_clint ? clint_data : mem.word(data_addr);
    top.irq_i = clint.lines(now);
    top.instr_gnt_i = 0;
    top.data_gnt_i = 0;
    top.eval();
    instr_pending = data_pending = false;
    top.instr_gnt_i = top.instr_req_o;
    top.data_gnt_i = o.grants.grant(top.data_req_o);
    top.eval();
    if (top.instr_req_o) { instr_pending = true; instr_addr = top.instr_addr_o; }
    if (top.data_req_o && top.data_gnt_i) {
      data_pending = true;
      data_addr = top.data_addr_o;
      data_read = !top.data_we_o;
      data_clint = Clint::owns(data_addr);
      if (data_clint) {
        if (data_read) clint_data = clint.read(data_addr, now);
        else clint.write(data_addr, top.data_wdata_o, top.data_be_o);
      } else if (top.data_we_o) {
        mem.write(data_addr, top.data_wdata_o, top.data_be_o);
        if (o.has_tohost && !in_handler && (data_addr & ~3u) == o.tohost && mem.word(o.tohost) != 0) {
          // The store left the decode stage the cycle before its (undelayed) grant; an instruction
          // leaving decode now comes after it and does not count.
          const uint32_t v = mem.word(o.tohost);
          kind = "exit";
          value = v == 1 ? 0 : v >> 1;
          tohost_now = now - 1;
        }
      }
    }
    if (tohost_now != 0) {
      // Complete this cycle, so that the instructions before the store finish writing back.
      top.clk_i = 1;
      top.eval();
      break;
    }
    if (drain > 0) drain--;
    if (drain == 0) {
      drain = -1;
      uint32_t* regs = (uint32_t*)&top.${registerFile}[0];
      if (ecall_undecided && !serves(regs[10], regs[17])) {
        // With traps taken, the core is on its way to the program's handler, which the run includes.
        in_handler = false;
      } else {
        // The ecall retires, as on the ISS (without a handler of the program's, counted at its decode).
        if (ecall_undecided) {
          instret++;
          trace_retirement(trace, ecall_now, stop_pc);
        }
        // A write is done here, as the ISS does it, while the core runs the handler.
        if (!environment_call(mem, &regs[10], regs[11], regs[12], regs[17], output, kind, value)) break;
      }
      ecall_undecided = false;
    }
    if (top.retire_o && in_handler && top.retire_pc_o >= HANDLER_END) {
      // Back from the handler: as on the ISS, this instruction comes one cycle after the ecall,
      // and the counters read as if the handler had not run.
      in_handler = false;
      if (restore_csrs) {
        restore_csrs = false;
${TRAP_CSRS.map((name) => `        top.${csr(name)} = program_csrs.${name};`).join('\n')}
      }
      const uint64_t delta = now - (ecall_now + 1);
      skew += delta;
      uint64_t mcycle = (uint64_t)top.${counters}[1] << 32 | top.${counters}[0];
      mcycle -= delta;
      top.${counters}[0] = (uint32_t)mcycle;
      top.${counters}[1] = (uint32_t)(mcycle >> 32);
      top.${counters}[4] = (uint32_t)instret;  // minstret, counter 2
      top.${counters}[5] = (uint32_t)(instret >> 32);
      // mhpmcounter3, counter 3: the handler's cycles left out like mcycle's when the cycle event
      // is selected; else none of the handler's events (the ecall itself is none).
      const uint64_t hpm = (top.${csr('mhpmevent_q')}[3] & 1) ? ((uint64_t)top.${counters}[7] << 32 | top.${counters}[6]) - delta : hpm_at_ecall;
      top.${counters}[6] = (uint32_t)hpm;
      top.${counters}[7] = (uint32_t)(hpm >> 32);
    }
    if (top.mtvec_write_o) handler_installed = true;
    if (top.sleep_o && !clint.can_wake(top.${csr('mie_q')})) { kind = "wfi"; wfi_end = last_leave; break; }
    // While the pipeline drains after an ecall, the instructions before it still write back (a load
    // right before it); no handler instruction has reached EX yet.
    if (in_handler && drain > 0 && trace) {
      const uint64_t at = cycle - skew;
      if (top.we_a_o) trace_write(trace, at, top.waddr_a_o, top.wdata_a_o);
      if (top.we_b_o) trace_write(trace, at, top.waddr_b_o, top.wdata_b_o);
    }
    if (!in_handler) {
      const uint64_t at = cycle - skew;
      // Before the program writes mtvec its base is 0, where our handler lives: outside the
      // program's memory, so "take" stops there as the ISS does without a handler to go to.
      const bool taking = o.traps != "stop" && handler_installed;
      // An ecall counts as retired, as on the ISS (the core's minstret event leaves it out); with
      // traps taken, only once it is known to be the exit.
      if (top.retire_o || (top.ecall_o && !taking)) {
        instret++;
        last_leave = at;
        trace_retirement(trace, at, top.retire_pc_o);
      }
      if (top.we_a_o) trace_write(trace, at, top.waddr_a_o, top.wdata_a_o);
      if (top.we_b_o) trace_write(trace, at, top.waddr_b_o, top.wdata_b_o);
      if (top.ecall_o) {
        stop_pc = top.retire_pc_o; ecall_now = at; drain = 4; in_handler = true; ecall_undecided = taking; redirected = false;
        hpm_snapshot = true;
${TRAP_CSRS.map((name) => `        program_csrs.${name} = top.${csr(name)};`).join('\n')}
      }
      // An ebreak that stops the run counts as run, as on the ISS (its environment's stop).
      if (!taking && top.ebreak_o) { kind = "ebreak"; stop_pc = top.retire_pc_o; instret++; trace_retirement(trace, at, stop_pc); }
      if (!taking && top.illegal_o) { kind = "illegal-instruction"; stop_pc = top.retire_pc_o; value = mem.word(stop_pc); fault_end = at - 1; }
    }
    top.clk_i = 1;
    top.eval();
    // Stopped by ebreak or an illegal word: this clock edge still writes back the older instructions.
    if (std::strcmp(kind, "ebreak") == 0 || std::strcmp(kind, "illegal-instruction") == 0) break;
    if (hpm_snapshot) {
      hpm_snapshot = false;
      hpm_at_ecall = (uint64_t)top.${counters}[7] << 32 | top.${counters}[6];
    }
    if (ecall_undecided && !redirected && top.flush_wb_o) {
      // The core jumps to mtvec in this cycle; the registers before the ecall are all written. An
      // exit or write goes to our handler instead of the program's, which must not see it.
      redirected = true;
      const uint32_t* regs = (const uint32_t*)&top.${registerFile}[0];
      if (serves(regs[10], regs[17])) {
        top.${csr('mtvec_q')} = 0;
        restore_csrs = true;
      }
    }
  }
  const bool ended_by_ecall = std::strcmp(kind, "unsupported-ecall") == 0 || (std::strcmp(kind, "exit") == 0 && tohost_now == 0);
  const uint64_t end = tohost_now != 0 ? tohost_now : wfi_end != 0 ? wfi_end : fault_end != 0 ? fault_end : ended_by_ecall ? ecall_now : cycle - skew;
  if (trace) std::fclose(trace);
  report(kind, value, stop_pc, end, instret, (const uint32_t*)&top.${registerFile}[0], output);
  return 0;
}
`;
