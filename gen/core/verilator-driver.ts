// The C++ driver of the core's emitted Verilog under Verilator (gen/core/verilator.ts): the same
// testbench as the HDL simulation's (gen/core/run.ts), cycle for cycle: both OBI ports answer like
// single-cycle memory (grant in the request's cycle, rvalid and data in the next), the data port's
// grants delayed like the ISS's, sp and mcycle preset through Verilator's public access to the
// register file and the counters, the run observed through the core's trace_* ports. The command
// line, the memory, the grant delays, the environment calls and the report are
// gen/rtl-harness/driver-support.ts's. Besides the report, it prints one line
// "stalls KEY:COUNT ..." counting the cycles by what the pipeline did (gen/core/stall-stats.ts).
import { SUM_COUNT, SUM_FIRST_REGISTER } from '../../isa/xnmsparse/mac.js';
import { driverSupport } from '../rtl-harness/driver-support.js';
import { DRAIN_CYCLES, ECALL, EBREAK } from './conventions.js';
import { REDIRECT_AFTER_CPP, REDIRECT_SHIFT, STALL_SIGNALS } from './stall-stats.js';

export interface CoreDriverNames {
  /** The top module (Core_extension0 or Core_extension1). */
  readonly top: string;
  /** Verilator's C++ names of the register file's array and of the counters' registers. */
  readonly registerFile: string;
  readonly csr: (register: string) => string;
  /** Verilator's C++ name of a signal of the top module. */
  readonly signal: (name: string) => string;
}

export function coreDriver(names: CoreDriverNames): string {
  const model = `V${names.top}`;
  const { registerFile, csr, signal } = names;
  const observed = STALL_SIGNALS.map((name, bit) => `(uint32_t)(top.${signal(name)} != 0) << ${bit}`).join(' | ');
  return `#include "${model}.h"
#include "${model}___024root.h"
#include "verilated.h"
#include <map>
${driverSupport('core')}
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

  bool instr_pending = false, data_pending = false;
  uint32_t instr_data = 0, data_data = 0;
  uint64_t instret = 0, end = 0, ecall_at = 0, skew = 0;
  const char* kind = nullptr;
  uint32_t value = 0, stop_pc = 0, last_pc = 0;
  std::string output;
  // From the ecall that traps into the write handler to the first instruction after it: its
  // cycles and instructions are left out (now = cycle - skew), mcycle and minstret corrected.
  bool in_handler = false, handler_started = false;
  std::map<uint32_t, uint64_t> stalls;  // observed signals and redirect cause (gen/core/stall-stats.ts) -> cycles
  uint32_t cause = 0;
  for (uint64_t cycle = 1; kind == nullptr; cycle++) {
    const uint64_t now = cycle - skew;
    if (o.max_cycles != 0 && now > o.max_cycles) { kind = "cycle-limit"; end = o.max_cycles; break; }
    top.clk = 0;
    top.instr_rvalid = instr_pending;
    top.instr_rdata = instr_pending ? instr_data : 0;
    top.data_rvalid = data_pending;
    top.data_rdata = data_pending ? data_data : 0;
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
      if (top.data_we) {
        mem.write(top.data_addr, top.data_wdata, top.data_be);
        if (o.has_tohost && (top.data_addr & ~3u) == (o.tohost & ~3u) && top.data_wdata != 0) {
          kind = "exit";
          value = top.data_wdata == 1 ? 0 : top.data_wdata >> 1;
          end = now - 1;
        }
      } else {
        data_data = mem.word(top.data_addr);
      }
    }
    const bool instr_granted = top.instr_req;
    if (instr_granted) { instr_pending = true; instr_data = mem.word(top.instr_addr); }
    top.instr_gnt = instr_granted;
    top.eval();
    if (top.trace_leave && in_handler && top.trace_pc < HANDLER_END) handler_started = true;
    if (top.trace_leave && in_handler && top.trace_pc >= HANDLER_END) {
      // Back from the handler: as on the ISS, this instruction comes one cycle after the ecall,
      // and the counters read as if the handler had not run.
      in_handler = handler_started = false;
      const uint64_t delta = now - (ecall_at + 1);
      skew += delta;
      const uint64_t mcycle = read64(top.${csr('mcycle_q')}, top.${csr('mcycleh_q')}) - delta;
      top.${csr('mcycle_q')} = (uint32_t)mcycle;
      top.${csr('mcycleh_q')} = (uint32_t)(mcycle >> 32);
      top.${csr('minstret_q')} = (uint32_t)instret;
      top.${csr('minstreth_q')} = (uint32_t)(instret >> 32);
    }
    const uint64_t at = cycle - skew;
    if (!handler_started) {
      // An instruction leaving decode in the cycle the tohost store is granted comes after the
      // store, which ends the run: it does not count.
      if (top.trace_leave && kind == nullptr) {
        const uint32_t pc = top.trace_pc, word = top.trace_instr;
        trace_retirement(trace, at, pc);
        instret++;
        last_pc = pc;
        if (top.trace_illegal) { kind = "illegal-instruction"; stop_pc = pc; value = word; end = at; }
        else if (word == ${EBREAK}u) { kind = "ebreak"; stop_pc = pc; end = at; }
        else if (word == ${ECALL}u) { ecall_at = at; in_handler = true; }
      }
      if (top.trace_ex_we) trace_write(trace, at, top.trace_ex_waddr, top.trace_ex_wdata);
      if (top.trace_wb_we) trace_write(trace, at, top.trace_wb_waddr, top.trace_wb_wdata);
      if (top.trace_sum_we) for (uint32_t p = 0; p < ${SUM_COUNT}; p++) trace_write(trace, at, ${SUM_FIRST_REGISTER} + p, top.trace_sum_wdata[p]);
    }
    const uint32_t bits = ${observed};
    if (instret > 0 && !in_handler) stalls[bits | cause << ${REDIRECT_SHIFT}]++;
    cause = ${REDIRECT_AFTER_CPP};
    top.clk = 1;
    top.eval();
    if (in_handler && !handler_started && at == ecall_at + ${DRAIN_CYCLES}) {
      if (!environment_call(mem, &regs[10], regs[11], regs[12], regs[17], output, kind, value)) { stop_pc = last_pc; end = ecall_at; }
    }
  }
  if (trace) std::fclose(trace);
  report(kind, value, stop_pc, end, instret, regs, output);
  std::printf("stalls");
  for (const auto& [bits, count] : stalls) std::printf(" %x:%llu", bits, (unsigned long long)count);
  std::printf("\\n");
  return 0;
}
`;
}
