// Runs the emitted Verilog under Icarus Verilog with the generated testbench, registers and
// memories starting at 0 (NMSPARSE_INIT_REGS) as they do in the TypeScript simulator.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModuleIR } from '../../hw/hdl/index.js';
import { runTool, withTempDir } from '../tools.js';
import { initMacro, type VerilogFile } from '../verilog/index.js';
import type { Stimulus } from './stimulus.js';
import { outputsFile, stimulusFile, stimulusHex, testbench, testbenchModule } from './testbench.js';

const testbenchFile = `${testbenchModule}.v`;

/**
 * Simulates `files` (whose top module has the ports of `top`) under `stimulus`; returns, per cycle,
 * the hex text Icarus printed for each output (x or z digits included, so the caller sees them).
 */
export function runIcarus(files: readonly VerilogFile[], top: ModuleIR, stimulus: Stimulus): Promise<string[][]> {
  return withTempDir('icarus', async (dir) => {
    await Promise.all([
      ...files.map((f) => writeFile(join(dir, f.fileName), f.text)),
      writeFile(join(dir, testbenchFile), testbench(top, stimulus)),
      writeFile(join(dir, stimulusFile), stimulusHex(stimulus)),
    ]);
    const compileArgs = ['-g2005', '-Wall', `-D${initMacro}`, '-s', testbenchModule, '-o', 'tb.vvp', testbenchFile, ...files.map((f) => f.fileName)];
    const compiled = await runTool('iverilog', compileArgs, dir);
    // Warnings (-Wall) fail the run too: a port bound at the wrong width would corrupt the comparison.
    if (compiled.code !== 0 || compiled.stderr.trim() !== '') {
      throw new Error(`iverilog ${compileArgs.join(' ')} failed (status ${compiled.code}):\n${compiled.stderr}${compiled.stdout}`);
    }
    const run = await runTool('vvp', ['-n', 'tb.vvp'], dir);
    // The testbench prints nothing itself, so any output is a runtime warning (e.g. from $readmemh).
    if (run.code !== 0 || `${run.stderr}${run.stdout}`.trim() !== '') {
      throw new Error(`vvp -n tb.vvp failed (status ${run.code}):\n${run.stderr}${run.stdout}`);
    }
    const lines = (await readFile(join(dir, outputsFile), 'utf8')).split('\n').slice(0, -1);
    if (lines.length !== stimulus.rows.length) throw new Error(`Icarus wrote ${lines.length} output lines for ${stimulus.rows.length} cycles`);
    return lines.map((line) => (line === '' ? [] : line.split(' ')));
  });
}
