// Builds a Verilator model of a design with a C++ driver that applies random inputs every cycle,
// the same stimulus pattern the TypeScript simulator gets, and reports cycles per second.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Design } from '../hw/hdl/index.js';
import { emitVerilog } from '../gen/verilog/index.js';

function driver(design: Design): string {
  const top = design.top;
  const model = `V${top.name}`;
  const inputs = top.ports.filter((p) => p.role === 'input');
  const outputs = top.ports.filter((p) => p.role === 'output');
  const poke = inputs.map((p) => {
    if (p.type.width > 64) return `    for (auto& word : top->${p.name}.m_storage) word = next();`;
    const mask = p.type.width === 64 ? '~0ULL' : `((1ULL << ${p.type.width}) - 1)`;
    return `    top->${p.name} = (((uint64_t)next() << 32) | next()) & ${mask};`;
  });
  const sink = outputs.map((p) => (p.type.width > 64 ? `sink ^= top->${p.name}.m_storage[0];` : `sink ^= (uint64_t)top->${p.name};`));
  return `#include "${model}.h"
#include "verilated.h"
#include <chrono>
#include <cstdio>
#include <cstdlib>
static uint32_t state = 2463534242u;
static uint32_t next() { state ^= state << 13; state ^= state >> 17; state ^= state << 5; return state; }
int main(int argc, char** argv) {
  VerilatedContext ctx;
  ${model}* top = new ${model}{&ctx};
  const long cycles = atol(argv[1]);
  uint64_t sink = 0;
${top.resettable ? '  top->rst = 1;' : ''}${top.clocked ? ' top->clk = 0; top->eval(); top->clk = 1; top->eval();' : ''}${top.resettable ? ' top->rst = 0;' : ''}
  auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < cycles; i++) {
${poke.join('\n')}
${top.clocked ? '    top->clk = 0; top->eval(); top->clk = 1; top->eval();' : '    top->eval();'}
    ${sink.join(' ')}
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  printf("%.1f %llu\\n", cycles / s, (unsigned long long)sink);
  delete top;
  return 0;
}
`;
}

export interface VerilatorResult {
  readonly cyclesPerSecond: number;
  readonly version: string;
}

export function verilatorRate(design: Design, cycles: number): VerilatorResult {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nmsparse-bench-'));
  try {
    const files = emitVerilog(design);
    for (const f of files) writeFileSync(path.join(dir, f.fileName), f.text);
    writeFileSync(path.join(dir, 'main.cpp'), driver(design));
    const top = design.top.name;
    execFileSync('verilator', ['--cc', '--exe', '--build', '-O3', '-Wno-fatal', '--top-module', top, '-Mdir', 'obj', 'main.cpp', ...files.map((f) => f.fileName)], { cwd: dir, stdio: 'pipe' });
    const out = execFileSync(path.join(dir, 'obj', `V${top}`), [String(cycles)], { encoding: 'utf8' });
    const version = execFileSync('verilator', ['--version'], { encoding: 'utf8' }).trim();
    return { cyclesPerSecond: Number(out.split(' ')[0]), version };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
