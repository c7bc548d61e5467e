// The C++ both Verilator testbench drivers share (the real CV32E40P's, gen/cv32e40p/testbench-driver.ts,
// and the project's core's, gen/core/verilator-driver.ts): the command line, the program image in a
// sparse memory, the data port's grant delays, the environment calls and the report. Each driver
// adds its own main loop, which knows how its core shows a retirement and how to reach its
// register file and counters.
//
// Command line: driver IMAGE BOOT SP TOHOST MAX_CYCLES GRANT TRACE MCYCLE TRAPS DATA_MAP FETCH_MAP
//   IMAGE       segments, each a little-endian u32 address, u32 length, then the bytes (the
//               program, its inputs and the ecall handler: gen/rtl-harness/environment-call.ts)
//   BOOT, SP    boot address (the ELF entry) and initial stack pointer, hex
//   TOHOST      address of the tohost word, hex, or "none"
//   MAX_CYCLES  decimal, 0 for no limit
//   GRANT       "fixed:G" (every data request granted after G cycles) or "random:SEED:MAX"
//               (each after 0..MAX cycles: the project's generator seeded with SEED, one draw per
//               request in program order, as the ISS draws them: isa/platform/grant-delay.ts)
//   TRACE       file to write "r CYCLE PC" per retirement and "w CYCLE REG VALUE" per
//               register-file write, or "-" for none
//   MCYCLE      mcycle's value after reset, decimal, negative so that a program reads the cycles
//               since its first instruction as on the ISS
//   TRAPS       the ISS's trap policy (docs/iss.md#traps): stop, take or auto, for a driver whose
//               core it lets trap into the program's handler
//   DATA_MAP, FETCH_MAP  the windows each port answers, "BASE:END,..." in hex (gen/rtl-harness/bus-map.ts),
//               for a driver whose core takes bus errors; outside them a transaction gets an error
// Prints "stop KIND VALUE PC cycles N instret N", "regs X0 .. X31" and "output HEX" (what the
// program wrote), one line each: gen/rtl-harness/driver-protocol.ts reads them.
import { ECALL_HANDLER_END, SYSCALL_NUMBER } from './environment-call.js';
import { CLINT, CLINT_BASE, CLINT_SIZE, MTIMECMP_NEVER } from '../../isa/platform/memory-map.js';
import { IRQ_LINE } from '../../isa/csr-values.js';

/**
 * `name` names the driver in its errors; `startupCycles` is the cycles its core spends before its
 * first instruction leaves decode that the ISS does not count: the CLINT's mtime counts the ISS's
 * cycles (docs/iss.md#interrupts), so it reads 0 until then.
 */
export function driverSupport(name: string, startupCycles: number): string {
  return `#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

namespace harness {

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

// The platform's CLINT for hart 0 (isa/platform/memory-map.ts; sim/core/clint.ts is the ISS's):
// msip, mtimecmp, and mtime, which in the harness's cycle NOW (cycles since reset, less the
// write handler's) reads the ISS's cycles before it. A load reads it in its grant cycle, a store
// writes it at the end of its grant cycle; the lines are driven from the next cycle.
struct Clint {
  uint32_t msip = 0;
  uint64_t mtimecmp = ~0ull;
  static bool owns(uint32_t addr) { return addr - ${CLINT_BASE}u < ${CLINT_SIZE}u; }
  static uint64_t mtime(uint64_t now) { return now > ${startupCycles + 1} ? now - ${startupCycles + 1} : 0; }
  uint32_t read(uint32_t addr, uint64_t now) const {
    switch ((addr & ~3u) - ${CLINT_BASE}u) {
      case ${CLINT.MSIP}: return msip;
      case ${CLINT.MTIMECMP}: return (uint32_t)mtimecmp;
      case ${CLINT.MTIMECMP + 4}: return (uint32_t)(mtimecmp >> 32);
      case ${CLINT.MTIME}: return (uint32_t)mtime(now);
      case ${CLINT.MTIME + 4}: return (uint32_t)(mtime(now) >> 32);
      default: return 0;
    }
  }
  void write(uint32_t addr, uint32_t data, uint32_t be) {
    auto merge = [&](uint32_t old) {
      for (int i = 0; i < 4; i++) if (be >> i & 1) old = (old & ~(0xffu << 8 * i)) | (data & 0xffu << 8 * i);
      return old;
    };
    switch ((addr & ~3u) - ${CLINT_BASE}u) {
      case ${CLINT.MSIP}: msip = merge(msip) & 1; break;
      case ${CLINT.MTIMECMP}: mtimecmp = (mtimecmp & ~0xffffffffull) | merge((uint32_t)mtimecmp); break;
      case ${CLINT.MTIMECMP + 4}: mtimecmp = (uint64_t)merge((uint32_t)(mtimecmp >> 32)) << 32 | (uint32_t)mtimecmp; break;
      default: break;  // mtime is read-only here
    }
  }
  /** Whether a line of MIE (the core's mie) can still rise without another store: else a sleeping core sleeps for good. */
  bool can_wake(uint32_t mie) const {
    return ((mie >> ${IRQ_LINE.software} & 1) && (msip & 1)) || ((mie >> ${IRQ_LINE.timer} & 1) && mtimecmp < ${MTIMECMP_NEVER}ull);
  }
  /** irq_i in cycle NOW: software (3) and timer (7); the fast and external lines have no source. */
  uint32_t lines(uint64_t now) const {
    return (msip & 1) << ${IRQ_LINE.software} | (uint32_t)(mtime(now) >= mtimecmp) << ${IRQ_LINE.timer};
  }
};

/** End of the ecall handler at mtvec = 0 (programs live far above, in L2, L1 or the Spike RAM). */
constexpr uint32_t HANDLER_END = ${ECALL_HANDLER_END};

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

[[noreturn]] void fail(const std::string& message) {
  std::fprintf(stderr, "${name} driver: %s\\n", message.c_str());
  std::exit(2);
}

// Grants of the data port: each request waits its delay, counted from its first cycle.
struct DataGrants {
  bool random = false;
  uint32_t fixed = 0, max = 0;
  Random rng{0};
  bool waiting = false;
  uint32_t waited = 0, delay = 0;
  /** Called once per cycle with the port's request: whether it is granted in this cycle. */
  bool grant(bool request) {
    if (!request) return false;
    if (!waiting) {
      waiting = true;
      waited = 0;
      delay = random ? rng.below(max + 1) : fixed;
    }
    const bool granted = waited >= delay;
    waited++;
    if (granted) waiting = false;
    return granted;
  }
};

// Bytes [base, end) a port answers (gen/rtl-harness/bus-map.ts).
struct Window { uint32_t base, end; };

/** The index of the window holding the word at ADDR, or -1. */
int window_index(const std::vector<Window>& windows, uint32_t addr) {
  addr &= ~3u;
  for (size_t i = 0; i < windows.size(); i++) if (addr >= windows[i].base && addr < windows[i].end) return (int)i;
  return -1;
}

/** Whether a store to the word at ADDR writes: for a split access's first half, its second word must be in the same window. */
bool store_writes(const std::vector<Window>& windows, uint32_t addr, bool split_first) {
  const int index = window_index(windows, addr);
  return index >= 0 && (!split_first || window_index(windows, (addr & ~3u) + 4) == index);
}

std::vector<Window> parse_windows(const char* text) {
  std::vector<Window> windows;
  for (const char* at = text; *at != 0;) {
    Window w;
    int used = 0;
    if (std::sscanf(at, "%x:%x%n", &w.base, &w.end, &used) != 2) fail(std::string("bad memory map ") + text);
    windows.push_back(w);
    at += used;
    if (*at == ',') at++;
    else if (*at != 0) fail(std::string("bad memory map ") + text);
  }
  return windows;
}

struct Options {
  Memory mem;
  uint32_t boot = 0, sp = 0, tohost = 0;
  bool has_tohost = false;
  uint64_t max_cycles = 0;
  DataGrants grants;
  FILE* trace = nullptr;
  uint64_t mcycle = 0;
  std::string traps;
  std::vector<Window> data_map, fetch_map;
};

Options parse(int argc, char** argv) {
  if (argc != 12) fail("usage: driver IMAGE BOOT SP TOHOST MAX_CYCLES GRANT TRACE MCYCLE TRAPS DATA_MAP FETCH_MAP");
  Options o;
  FILE* image = std::fopen(argv[1], "rb");
  if (!image) fail(std::string("cannot open ") + argv[1]);
  uint32_t header[2];
  while (std::fread(header, 4, 2, image) == 2) {
    for (uint32_t i = 0; i < header[1]; i++) {
      int c = std::fgetc(image);
      if (c == EOF) fail("truncated image");
      o.mem.byte(header[0] + i) = (uint8_t)c;
    }
  }
  std::fclose(image);
  o.boot = std::strtoul(argv[2], nullptr, 16);
  o.sp = std::strtoul(argv[3], nullptr, 16);
  o.has_tohost = std::strcmp(argv[4], "none") != 0;
  o.tohost = o.has_tohost ? std::strtoul(argv[4], nullptr, 16) : 0;
  o.max_cycles = std::strtoull(argv[5], nullptr, 10);
  uint32_t seed = 0;
  if (std::sscanf(argv[6], "random:%u:%u", &seed, &o.grants.max) == 2) {
    o.grants.random = true;
    o.grants.rng = Random{seed};
  } else if (std::sscanf(argv[6], "fixed:%u", &o.grants.fixed) != 1) {
    fail(std::string("bad grant delay ") + argv[6]);
  }
  if (std::strcmp(argv[7], "-") != 0) {
    o.trace = std::fopen(argv[7], "w");
    if (!o.trace) fail(std::string("cannot write ") + argv[7]);
  }
  o.mcycle = (uint64_t)std::strtoll(argv[8], nullptr, 10);
  o.traps = argv[9];
  if (o.traps != "stop" && o.traps != "take" && o.traps != "auto") fail("bad trap policy " + o.traps);
  o.data_map = parse_windows(argv[10]);
  o.fetch_map = parse_windows(argv[11]);
  return o;
}

/** Exit, or write to fd 1 or 2: the ecalls the testbench serves, as the ISS's environment does. */
bool serves(uint32_t a0, uint32_t a7) {
  return a7 == ${SYSCALL_NUMBER.exit} || (a7 == ${SYSCALL_NUMBER.write} && (a0 == 1 || a0 == 2));
}

/**
 * The ecall whose predecessors have written back, with a0..a2 and a7 from the register file:
 * exit or an unsupported call end the run (kind, value set; false), a write is done here, as the
 * ISS does it, and sets *a0 to the length (true: the run goes on through the handler).
 */
bool environment_call(Memory& mem, uint32_t* a0, uint32_t a1, uint32_t a2, uint32_t a7, std::string& output, const char*& kind, uint32_t& value) {
  if (a7 == ${SYSCALL_NUMBER.exit}) { kind = "exit"; value = *a0; return false; }
  if (a7 != ${SYSCALL_NUMBER.write} || (*a0 != 1 && *a0 != 2)) { kind = "unsupported-ecall"; value = a7; return false; }
  for (uint32_t i = 0; i < a2; i++) output.push_back((char)mem.byte(a1 + i));
  *a0 = a2;
  return true;
}

void trace_retirement(FILE* trace, uint64_t cycle, uint32_t pc) {
  if (trace) std::fprintf(trace, "r %llu %08x\\n", (unsigned long long)cycle, pc);
}

void trace_write(FILE* trace, uint64_t cycle, uint32_t reg, uint32_t value) {
  if (trace && reg != 0) std::fprintf(trace, "w %llu %u %08x\\n", (unsigned long long)cycle, reg, value);
}

void report(const char* kind, uint32_t value, uint32_t pc, uint64_t cycles, uint64_t instret, const uint32_t* regs, const std::string& output) {
  std::printf("stop %s %u %08x cycles %llu instret %llu\\nregs", kind, value, pc, (unsigned long long)cycles, (unsigned long long)instret);
  for (int i = 0; i < 32; i++) std::printf(" %08x", i == 0 ? 0u : regs[i]);
  std::printf("\\noutput ");
  for (unsigned char c : output) std::printf("%02x", c);
  std::printf("\\n");
}

}  // namespace harness
`;
}
