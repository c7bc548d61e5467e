// The C++ driver of the Verilator model (gen/cv32e40p/testbench-top.ts): single-cycle memory on
// both OBI ports (grant in the request's cycle when the port has no grant delay, rvalid and data
// the next cycle), data-port grant delays (fixed or seeded random), the program image, the
// project's exit conventions, a cycle limit and a trace of retirements and register writes.
//
// Command line: driver IMAGE BOOT SP TOHOST MAX_CYCLES GRANT TRACE STARTUP TRAPS
//   IMAGE       segments, each a little-endian u32 address, u32 length, then the bytes
//   BOOT, SP    boot address (the ELF entry) and initial stack pointer, hex
//   TOHOST      address of the tohost word, hex, or "none"
//   MAX_CYCLES  decimal, 0 for no limit
//   GRANT       "fixed:G" (every data request granted after G cycles) or "random:SEED:MAX"
//               (each after 0..MAX cycles: the project's generator seeded with SEED, one draw per
//               request in program order, as the ISS draws them: isa/platform/grant-delay.ts)
//   TRACE       file to write "r CYCLE PC" per retirement and "w CYCLE REG VALUE" per
//               register-file write (port A, the load write-back, before port B), or "-" for none
//   STARTUP     cycles mcycle starts below zero, so that a program reads the cycles since its
//               first instruction as on the ISS (gen/cv32e40p/divergence.ts, RTL_STARTUP_CYCLES)
//   TRAPS       what an illegal instruction, ebreak or an ecall other than exit and write does,
//               as the ISS's option of that name (docs/iss.md#traps): "stop" ends the run;
//               "auto" and "take" end it until the program writes mtvec, then let the core trap
//               to the program's handler (the trapping instruction does not retire)
// Prints "stop KIND VALUE PC cycles N instret N", "regs X0 .. X31" and "output HEX" (what the
// program wrote), one line each.
// Cycle 1 is the first clock cycle after reset is released. A retirement is the cycle in which
// the instruction leaves the decode stage; the run's cycles end with the exit ecall's, or with the
// cycle the tohost store left the decode stage (the cycle before its grant, which a grant delay
// postpones).
import { TESTBENCH_TOP_MODULE } from './testbench-top.js';

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
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unordered_map>

namespace {

// Sparse byte-addressed memory in 4 KiB pages, zero where nothing was written.
struct Memory {
  std::unordered_map<uint32_t, std::array<uint8_t, 4096>> pages;
  uint8_t& byte(uint32_t addr) {
    auto it = pages.find(addr >> 12);
    if (it == pages.end()) it = pages.emplace(addr >> 12, std::array<uint8_t, 4096>{}).first;
    return it->second[addr & 0xfff];
  }
  uint32_t word(uint32_t addr) {
    addr &= ~3u;
    return byte(addr) | byte(addr + 1) << 8 | byte(addr + 2) << 16 | (uint32_t)byte(addr + 3) << 24;
  }
  void write(uint32_t addr, uint32_t data, uint32_t be) {
    addr &= ~3u;
    for (int i = 0; i < 4; i++) if (be >> i & 1) byte(addr + i) = data >> (8 * i);
  }
};

/** End of the trap handler at address 0 (programs live far above, in L2, L1 or the Spike RAM). */
constexpr uint32_t HANDLER_END = 6 * 4;

// The project's generator (util/random.ts): sfc32 seeded through splitmix32, 12 outputs dropped.
// Delays must be the ISS's draw for draw (isa/platform/grant-delay.ts).
struct Random {
  uint32_t a, b, c, d;
  explicit Random(uint32_t seed) {
    auto splitmix = [&seed]() {
      seed += 0x9e3779b9u;
      uint32_t z = seed;
      z = (z ^ (z >> 16)) * 0x85ebca6bu;
      z = (z ^ (z >> 13)) * 0xc2b2ae35u;
      return z ^ (z >> 16);
    };
    a = splitmix(); b = splitmix(); c = splitmix(); d = splitmix();
    for (int i = 0; i < 12; i++) next();
  }
  uint32_t next() {
    const uint32_t t = a + b + d;
    d += 1;
    a = b ^ (b >> 9);
    b = c + (c << 3);
    c = (c << 21) | (c >> 11);
    c += t;
    return t;
  }
  /** Uniform in [0, n): Random.below. */
  uint32_t below(uint32_t n) { return (uint32_t)((uint64_t)next() * n >> 32); }
};

/** Exit (a7 = 93) or write to fd 1 or 2 (a7 = 64): the ecalls the testbench serves, as the ISS's environment does. */
bool environment_call(const uint32_t* regs) {
  return regs[17] == 93 || (regs[17] == 64 && (regs[10] == 1 || regs[10] == 2));
}

[[noreturn]] void fail(const std::string& message) {
  std::fprintf(stderr, "cv32e40p driver: %s\\n", message.c_str());
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 10) fail("usage: driver IMAGE BOOT SP TOHOST MAX_CYCLES GRANT TRACE STARTUP TRAPS");
  Memory mem;
  FILE* image = std::fopen(argv[1], "rb");
  if (!image) fail(std::string("cannot open ") + argv[1]);
  uint32_t header[2];
  while (std::fread(header, 4, 2, image) == 2) {
    for (uint32_t i = 0; i < header[1]; i++) {
      int c = std::fgetc(image);
      if (c == EOF) fail("truncated image");
      mem.byte(header[0] + i) = (uint8_t)c;
    }
  }
  std::fclose(image);
  const uint32_t boot = std::strtoul(argv[2], nullptr, 16);
  const uint32_t sp = std::strtoul(argv[3], nullptr, 16);
  const bool has_tohost = std::strcmp(argv[4], "none") != 0;
  const uint32_t tohost = has_tohost ? std::strtoul(argv[4], nullptr, 16) : 0;
  const uint64_t max_cycles = std::strtoull(argv[5], nullptr, 10);
  uint32_t grant_fixed = 0, grant_max = 0, grant_seed = 0;
  bool grant_random = false;
  if (std::sscanf(argv[6], "random:%u:%u", &grant_seed, &grant_max) == 2) {
    grant_random = true;
  } else if (std::sscanf(argv[6], "fixed:%u", &grant_fixed) != 1) {
    fail(std::string("bad grant delay ") + argv[6]);
  }
  Random random{grant_seed};
  const std::string traps = argv[9];
  if (traps != "stop" && traps != "take" && traps != "auto") fail("bad trap policy " + traps);
  bool handler_installed = false;
  FILE* trace = std::strcmp(argv[7], "-") == 0 ? nullptr : std::fopen(argv[7], "w");
  if (std::strcmp(argv[7], "-") != 0 && !trace) fail(std::string("cannot write ") + argv[7]);

  // The trap handler at mtvec (0): back to the instruction after the ecall, registers untouched.
  const uint32_t handler[] = {
      0x34029073,  // csrw mscratch, t0
      0x341022f3,  // csrr t0, mepc
      0x00428293,  // addi t0, t0, 4
      0x34129073,  // csrw mepc, t0
      0x340022f3,  // csrr t0, mscratch
      0x30200073,  // mret
  };
  for (uint32_t i = 0; i < 6; i++) mem.write(4 * i, handler[i], 0xf);

  VerilatedContext ctx;
  ${model} top{&ctx};
  top.boot_addr_i = boot;
  top.mtvec_addr_i = 0;
  top.rst_ni = 0;
  for (int i = 0; i < 4; i++) { top.clk_i = 0; top.eval(); top.clk_i = 1; top.eval(); }
  top.clk_i = 0;
  top.eval();
  top.rst_ni = 1;
  top.${registerFile}[2] = sp;
  const uint64_t mcycle_start = 0 - std::strtoull(argv[8], nullptr, 10);
  top.${counters}[0] = (uint32_t)mcycle_start;
  top.${counters}[1] = (uint32_t)(mcycle_start >> 32);
  top.eval();

  bool instr_pending = false, data_pending = false, data_read = false;
  uint32_t instr_addr = 0, data_addr = 0;
  uint32_t data_wait = 0, data_delay = 0;
  bool data_waiting = false;
  uint64_t cycle = 0, instret = 0;
  const char* kind = "cycle-limit";
  uint32_t value = 0, stop_pc = 0;
  std::string output;
  // Cycles spent in the write handler beyond the one the ISS charges an ecall: left out of every
  // cycle reported (now = cycle - skew) and of mcycle.
  uint64_t skew = 0, ecall_now = 0, tohost_now = 0;
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
    if (max_cycles != 0 && now > max_cycles && drain < 0) { cycle--; break; }
    top.clk_i = 0;
    top.instr_rvalid_i = instr_pending;
    top.instr_rdata_i = instr_pending ? mem.word(instr_addr) : 0;
    top.data_rvalid_i = data_pending;
    top.data_rdata_i = data_pending && data_read ? mem.word(data_addr) : 0;
    top.instr_gnt_i = 0;
    top.data_gnt_i = 0;
    top.eval();
    instr_pending = data_pending = false;
    top.instr_gnt_i = top.instr_req_o;
    if (top.data_req_o) {
      if (!data_waiting) {
        data_waiting = true;
        data_wait = 0;
        data_delay = grant_random ? random.below(grant_max + 1) : grant_fixed;
      }
      top.data_gnt_i = data_wait >= data_delay;
      data_wait++;
    }
    top.eval();
    if (top.instr_req_o) { instr_pending = true; instr_addr = top.instr_addr_o; }
    if (top.data_req_o && top.data_gnt_i) {
      data_waiting = false;
      data_pending = true;
      data_addr = top.data_addr_o;
      data_read = !top.data_we_o;
      if (top.data_we_o) {
        mem.write(data_addr, top.data_wdata_o, top.data_be_o);
        if (has_tohost && !in_handler && (data_addr & ~3u) == tohost && mem.word(tohost) != 0) {
          // The store left the decode stage the cycle before its (undelayed) grant; an instruction
          // leaving decode now comes after it and does not count.
          const uint32_t v = mem.word(tohost);
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
      const uint32_t* regs = (uint32_t*)&top.${registerFile}[0];
      const uint32_t a7 = regs[17];
      if (ecall_undecided && !environment_call(regs)) {
        // With traps taken, the core is on its way to the program's handler, which the run includes.
        in_handler = false;
      } else {
        // The ecall retires, as on the ISS (without a handler of the program's, counted at its decode).
        if (ecall_undecided) {
          instret++;
          if (trace) std::fprintf(trace, "r %llu %08x\\n", (unsigned long long)ecall_now, stop_pc);
        }
        if (a7 == 93) { kind = "exit"; value = regs[10]; break; }
        if (!environment_call(regs)) { kind = "unsupported-ecall"; value = a7; break; }
        // write(fd, buf, len): done here, as the ISS does it, while the core runs the handler.
        for (uint32_t i = 0; i < regs[12]; i++) output.push_back((char)mem.byte(regs[11] + i));
        top.${registerFile}[10] = regs[12];
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
    }
    if (top.mtvec_write_o) handler_installed = true;
    // While the pipeline drains after an ecall, the instructions before it still write back (a load
    // right before it); no handler instruction has reached EX yet.
    if (in_handler && drain > 0 && trace) {
      const uint64_t at = cycle - skew;
      if (top.we_a_o && top.waddr_a_o != 0) std::fprintf(trace, "w %llu %u %08x\\n", (unsigned long long)at, top.waddr_a_o, top.wdata_a_o);
      if (top.we_b_o && top.waddr_b_o != 0) std::fprintf(trace, "w %llu %u %08x\\n", (unsigned long long)at, top.waddr_b_o, top.wdata_b_o);
    }
    if (!in_handler) {
      const uint64_t at = cycle - skew;
      // Before the program writes mtvec its base is 0, where our handler lives: outside the
      // program's memory, so "take" stops there as the ISS does without a handler to go to.
      const bool taking = traps != "stop" && handler_installed;
      // An ecall counts as retired, as on the ISS (the core's minstret event leaves it out); with
      // traps taken, only once it is known to be the exit.
      if (top.retire_o || (top.ecall_o && !taking)) {
        instret++;
        if (trace) std::fprintf(trace, "r %llu %08x\\n", (unsigned long long)at, top.retire_pc_o);
      }
      if (trace && top.we_a_o && top.waddr_a_o != 0) std::fprintf(trace, "w %llu %u %08x\\n", (unsigned long long)at, top.waddr_a_o, top.wdata_a_o);
      if (trace && top.we_b_o && top.waddr_b_o != 0) std::fprintf(trace, "w %llu %u %08x\\n", (unsigned long long)at, top.waddr_b_o, top.wdata_b_o);
      if (top.ecall_o) {
        stop_pc = top.retire_pc_o; ecall_now = at; drain = 4; in_handler = true; ecall_undecided = taking; redirected = false;
${TRAP_CSRS.map((name) => `        program_csrs.${name} = top.${csr(name)};`).join('\n')}
      }
      if (!taking && top.ebreak_o) { kind = "ebreak"; stop_pc = top.retire_pc_o; break; }
      if (!taking && top.illegal_o) { kind = "illegal-instruction"; stop_pc = top.retire_pc_o; value = mem.word(stop_pc); break; }
    }
    top.clk_i = 1;
    top.eval();
    if (ecall_undecided && !redirected && top.flush_wb_o) {
      // The core jumps to mtvec in this cycle; the registers before the ecall are all written. An
      // exit or write goes to our handler instead of the program's, which must not see it.
      redirected = true;
      if (environment_call((uint32_t*)&top.${registerFile}[0])) {
        top.${csr('mtvec_q')} = 0;
        restore_csrs = true;
      }
    }
  }
  const bool ended_by_ecall = std::strcmp(kind, "unsupported-ecall") == 0 || (std::strcmp(kind, "exit") == 0 && tohost_now == 0);
  const uint64_t end = tohost_now != 0 ? tohost_now : ended_by_ecall ? ecall_now : cycle - skew;
  if (trace) std::fclose(trace);
  std::printf("stop %s %u %08x cycles %llu instret %llu\\nregs", kind, value, stop_pc, (unsigned long long)end, (unsigned long long)instret);
  for (int i = 0; i < 32; i++) std::printf(" %08x", i == 0 ? 0u : (uint32_t)top.${registerFile}[i]);
  std::printf("\\noutput ");
  for (unsigned char c : output) std::printf("%02x", c);
  std::printf("\\n");
  return 0;
}
`;
