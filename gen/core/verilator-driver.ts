// The C++ driver of the core's emitted Verilog under Verilator (gen/core/verilator.ts): the same
// testbench as the HDL simulation's (gen/core/run.ts), cycle for cycle: both OBI ports answer like
// single-cycle memory (grant in the request's cycle, rvalid and data in the next), the data port's
// grants delayed like the ISS's, sp and mcycle preset through Verilator's public access to the
// register file and the counters, the run observed through the core's trace_* ports. The command
// line, the memory, the grant delays, the environment calls and the report are
// gen/rtl-harness/driver-support.ts's. Besides the report, it prints one line
// "stalls KEY:COUNT ..." counting the cycles by what the pipeline did (gen/core/stall-stats.ts).
// The platform's CLINT answers data accesses in its window and drives irq_i, as in gen/core/run.ts.
// Both ports answer only the ISS's memory map (the DATA_MAP and FETCH_MAP arguments,
// gen/rtl-harness/bus-map.ts): elsewhere an error response and no write, as in gen/core/run.ts.
import { SUM_COUNT, SUM_FIRST_REGISTER } from '../../isa/xnmsparse/mac.js';
import { driverSupport } from '../rtl-harness/driver-support.js';
import { CSR } from '../../isa/csr-names.js';
import { TRAP_CAUSE } from '../../isa/fault.js';
import { CSR_OP } from '../../hw/core/csr-ops.js';
import { SYSCALL_NUMBER } from '../rtl-harness/environment-call.js';
import { CORE_STARTUP_CYCLES, DRAIN_CYCLES, ECALL, MAX_IN_FLIGHT } from './conventions.js';
import { REDIRECT_AFTER_CPP, REDIRECT_SHIFT, STALL_SIGNALS } from './stall-stats.js';

export interface CoreDriverNames {
  /** The top module (Core_extension0 or Core_extension1). */
  readonly top: string;
  /** Verilator's C++ names of the register file's array and of the counters' registers. */
  readonly registerFile: string;
  readonly csr: (register: string) => string;
  /** Verilator's C++ name of a signal of the top module. */
  readonly signal: (name: string) => string;
  /** Verilator's C++ name of the LSU's flag of a split access's first half (hw/core/lsu.ts). */
  readonly splitFirst: string;
}

export function coreDriver(names: CoreDriverNames): string {
  const model = `V${names.top}`;
  const { registerFile, csr, signal, splitFirst } = names;
  const observed = STALL_SIGNALS.map((name, bit) => `(uint32_t)(top.${signal(name)} != 0) << ${bit}`).join(' | ');
  return `#include "${model}.h"
#include "${model}___024root.h"
#include "verilated.h"
#include <deque>
#include <map>
${driverSupport('core', CORE_STARTUP_CYCLES)}
namespace {

uint64_t read64(uint32_t low, uint32_t high) { return (uint64_t)high << 32 | low; }

}  // namespace

int main(int argc, char** argv) {
  using namespace harness;
  Options o = parse(argc, argv);
  Memory& mem = o.mem;
  FILE* trace = o.trace;

  VerilatedContext ctx;
  ${model} top{&ctx};
  uint32_t* regs = (uint32_t*)&top.${registerFile}[0];
  top.boot_addr = o.boot;
  top.hart_id = 0;
  top.instr_gnt = top.instr_rvalid = top.instr_err = 0;
  top.data_gnt = top.data_rvalid = top.data_err = 0;
  // One clock edge with reset held, as RtlSimulator.reset does.
  top.rst = 1;
  top.clk = 0; top.eval();
  top.clk = 1; top.eval();
  top.rst = 0;
  top.clk = 0;
  regs[2] = o.sp;
  top.${csr('mcycle_q')} = (uint32_t)o.mcycle;
  top.${csr('mcycleh_q')} = (uint32_t)(o.mcycle >> 32);
  top.eval();

  bool instr_pending = false, data_pending = false, instr_error = false, data_error = false;
  uint32_t instr_data = 0, data_data = 0;
  uint64_t instret = 0, end = 0, skew = 0, last_leave = 0;
  Clint clint;
  const char* kind = nullptr;
  uint32_t value = 0, stop_pc = 0, last_pc = 0;
  std::string output;
  // From an ecall to the first instruction after the write handler it traps into: the handler's
  // cycles and instructions are left out (now = cycle - skew), mcycle and minstret corrected.
  bool ecall_pending = false, in_handler = false, handler_started = false, handler_installed = false;
  uint64_t ecall_at = 0;
  // mhpmcounter3 once the events of the instructions before the ecall are counted (the cycle after
  // it left decode): what it reads after the handler, unless it counts cycles.
  uint64_t hpm_at_ecall = 0;
  // Before the program writes mtvec its base is 0, where the testbench's ecall handler lives: outside
  // the program's memory, so "take" stops there as the ISS does without a handler to go to.
  auto takes_traps = [&]() { return o.traps != "stop" && handler_installed; };
  // Instructions that left decode recently: a trap in EX or WB may still cancel them.
  struct Leave { uint64_t cycle; uint32_t pc, word; };
  std::deque<Leave> recent;
  auto commit = [&](const Leave& leave) { instret++; trace_retirement(trace, leave.cycle, leave.pc); };
  // The last of the recent instructions with this pc or this word, or recent.size().
  auto last_index = [&](auto matches) {
    for (size_t i = recent.size(); i-- > 0;) if (matches(recent[i])) return i;
    return recent.size();
  };
  std::map<uint32_t, uint64_t> stalls;  // observed signals and redirect cause (gen/core/stall-stats.ts) -> cycles
  uint32_t cause = 0;
  for (uint64_t cycle = 1; kind == nullptr; cycle++) {
    const uint64_t now = cycle - skew;
    if (o.max_cycles != 0 && now > o.max_cycles) { kind = "cycle-limit"; end = o.max_cycles; break; }
    top.clk = 0;
    top.instr_rvalid = instr_pending;
    top.instr_rdata = instr_pending ? instr_data : 0;
    top.instr_err = instr_pending && instr_error;
    top.data_rvalid = data_pending;
    top.data_rdata = data_pending ? data_data : 0;
    top.data_err = data_pending && data_error;
    top.irq_i = clint.lines(now);
    top.eval();
    instr_pending = data_pending = false;
    // The data port's request depends on no grant; the fetch request and address depend on the
    // data grant within the cycle (a stall in decode changes what fetch asks for next) and on no
    // grant of their own. So the data port is served first, then fetch with the data grant
    // applied, as the HDL simulation's testbench does.
    const bool granted = o.grants.grant(top.data_req);
    top.data_gnt = granted;
    top.eval();
    if (granted) {
      data_pending = true;
      data_data = 0;
      data_error = window_index(o.data_map, top.data_addr) < 0;
      if (data_error) {
        // Outside the map: the error response, and nothing written.
      } else if (Clint::owns(top.data_addr)) {
        if (top.data_we) clint.write(top.data_addr, top.data_wdata, top.data_be);
        else data_data = clint.read(top.data_addr, now);
      } else if (top.data_we) {
        const bool writes = store_writes(o.data_map, top.data_addr, top.${splitFirst});
        if (writes) mem.write(top.data_addr, top.data_wdata, top.data_be);
        if (writes && o.has_tohost && (top.data_addr & ~3u) == (o.tohost & ~3u) && top.data_wdata != 0) {
          kind = "exit";
          value = top.data_wdata == 1 ? 0 : top.data_wdata >> 1;
          end = now - 1;
        }
      } else {
        data_data = mem.word(top.data_addr);
      }
    }
    const bool instr_granted = top.instr_req;
    if (instr_granted) {
      instr_pending = true;
      instr_error = window_index(o.fetch_map, top.instr_addr) < 0;
      instr_data = instr_error ? 0 : mem.word(top.instr_addr);
    }
    top.instr_gnt = instr_granted;
    top.eval();
    const bool leaves = top.trace_leave;
    if (leaves && in_handler) {
      if (top.trace_pc < HANDLER_END) {
        handler_started = true;
      } else {
        // Back from the handler: as on the ISS, this instruction comes one cycle after the ecall,
        // and the counters read as if the handler had not run.
        in_handler = handler_started = ecall_pending = false;
        const uint64_t delta = now - (ecall_at + 1);
        skew += delta;
        const uint64_t mcycle = read64(top.${csr('mcycle_q')}, top.${csr('mcycleh_q')}) - delta;
        top.${csr('mcycle_q')} = (uint32_t)mcycle;
        top.${csr('mcycleh_q')} = (uint32_t)(mcycle >> 32);
        const uint64_t minstret = instret + recent.size();
        top.${csr('minstret_q')} = (uint32_t)minstret;
        top.${csr('minstreth_q')} = (uint32_t)(minstret >> 32);
        // The handler's cycles left out like mcycle's when the cycle event is selected; else none
        // of its events (the ecall itself is none).
        const uint64_t hpm = (top.${csr('mhpmevent3_q')} & 1) ? read64(top.${csr('mhpmcounter3_q')}, top.${csr('mhpmcounter3h_q')}) - delta : hpm_at_ecall;
        top.${csr('mhpmcounter3_q')} = (uint32_t)hpm;
        top.${csr('mhpmcounter3h_q')} = (uint32_t)(hpm >> 32);
      }
    }
    const uint64_t at = cycle - skew;
    if (!handler_started) {
      if (top.${csr('csr_access')} && top.${csr('csr_addr')} == ${CSR.mtvec} && top.${csr('csr_op')} != ${CSR_OP.read}) handler_installed = true;
      // An instruction leaving decode in the cycle the tohost store is granted comes after the
      // store, which ends the run: it does not count.
      if (leaves && kind == nullptr) {
        const uint32_t pc = top.trace_pc, word = top.trace_instr;
        recent.push_back({at, pc, word});
        last_pc = pc;
        last_leave = at;
        if (word == ${ECALL}u) { ecall_at = at; ecall_pending = true; }
      }
      if (top.trace_trap && !top.trace_irq && top.trace_trap_cause != ${TRAP_CAUSE.ecallFromMachineMode}) {
        // The trapping instruction and anything younger that left decode do not retire; an ecall
        // is settled when the pipeline has drained (exit and write are the environment's).
        const uint32_t pc = top.trace_trap_pc;
        const size_t index = last_index([&](const Leave& l) { return l.pc == pc; });
        const bool found = index < recent.size();
        const Leave trapping = found ? recent[index] : Leave{at, pc, 0};
        recent.erase(recent.begin() + index, recent.end());
        if (!takes_traps()) {
          const uint32_t trap_cause = top.trace_trap_cause;
          const bool access_fault = ${[TRAP_CAUSE.instructionAccessFault, TRAP_CAUSE.loadAccessFault, TRAP_CAUSE.storeAccessFault].map((c) => `trap_cause == ${c}`).join(' || ')};
          kind = trap_cause == ${TRAP_CAUSE.breakpoint} ? "ebreak" : access_fault ? "access-fault" : "illegal-instruction";
          // An ebreak that stops the run counts as run, as on the ISS (its environment's stop).
          if (trap_cause == ${TRAP_CAUSE.breakpoint} && found) recent.push_back(trapping);
          value = access_fault ? trap_cause : trapping.word;
          stop_pc = pc;
          // A fault ends the run with the cycles before it, as the ISS counts one; ebreak with its own.
          end = trapping.cycle - (trap_cause != ${TRAP_CAUSE.breakpoint});
        }
      }
      if (top.trace_ex_we) trace_write(trace, at, top.trace_ex_waddr, top.trace_ex_wdata);
      if (top.trace_wb_we) trace_write(trace, at, top.trace_wb_waddr, top.trace_wb_wdata);
      if (top.trace_sum_we) for (uint32_t p = 0; p < ${SUM_COUNT}; p++) trace_write(trace, at, ${SUM_FIRST_REGISTER} + p, top.trace_sum_wdata[p]);
    }
    if (top.trace_sleeping && kind == nullptr && !clint.can_wake(top.${csr('mie_q')})) {
      // Asleep in wfi with nothing left to wake the core: the run ends with the wfi, as on the ISS.
      kind = "wfi";
      end = last_leave;
      break;
    }
    const uint32_t bits = ${observed};
    // From the first instruction on, but not while an ecall is settled or its handler runs.
    if (instret + recent.size() > 0 && !in_handler && !ecall_pending) stalls[bits | cause << ${REDIRECT_SHIFT}]++;
    cause = ${REDIRECT_AFTER_CPP};
    top.clk = 1;
    top.eval();
    if (ecall_pending && !in_handler && at == ecall_at) hpm_at_ecall = read64(top.${csr('mhpmcounter3_q')}, top.${csr('mhpmcounter3h_q')});
    if (ecall_pending && !in_handler && at == ecall_at + ${DRAIN_CYCLES}) {
      const uint32_t a7 = regs[17];
      if (serves(regs[10], a7) && a7 != ${SYSCALL_NUMBER.exit} && !handler_installed) {
        // The core has trapped to the testbench's handler at mtvec = 0 (the reset base).
        environment_call(mem, &regs[10], regs[11], regs[12], a7, output, kind, value);
        in_handler = true;
      } else if (a7 == ${SYSCALL_NUMBER.exit}) {
        kind = "exit";
        value = regs[10];
        end = ecall_at;
      } else if (takes_traps() && !serves(regs[10], a7)) {
        // Not an environment call: the core took its trap to the program's handler.
        recent.erase(recent.begin() + last_index([](const Leave& l) { return l.word == ${ECALL}u; }), recent.end());
      } else {
        kind = "unsupported-ecall";
        value = a7;
        stop_pc = last_pc;
        end = ecall_at;
      }
      if (!in_handler) ecall_pending = false;
    }
    // Retirements older than a trap can reach are final.
    while (recent.size() > ${MAX_IN_FLIGHT}) { commit(recent.front()); recent.pop_front(); }
  }
  for (const Leave& leave : recent) commit(leave);
  if (trace) std::fclose(trace);
  report(kind, value, stop_pc, end, instret, regs, output);
  std::printf("stalls");
  for (const auto& [bits, count] : stalls) std::printf(" %x:%llu", bits, (unsigned long long)count);
  std::printf("\\n");
  return 0;
}
`;
}
