// Verilator lint of emitted Verilog: `verilator --lint-only -Wall`, one file per module as emitted.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runTool, withTempDir } from './tools.js';
import type { VerilogFile } from './verilog/index.js';

export interface LintMessage {
  /** 'Warning' or 'Error'. */
  readonly severity: string;
  /** Verilator's code, e.g. UNUSEDSIGNAL; empty for plain errors such as syntax errors. */
  readonly code: string;
  /** File name as emitted (e.g. Counter_width8.v), with line and column; absent for global messages. */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly text: string;
}

// %Warning-UNUSEDSIGNAL: Counter_width8.v:12:3: Signal is not used: 'x'
const messageLine = /^%(Warning|Error)(?:-([A-Z0-9_]+))?: (?:([^\s:]+):(\d+):(\d+): )?(.*)$/;

export function formatLintMessage(m: LintMessage): string {
  const at = m.file === undefined ? '' : `${m.file}:${m.line}:${m.column}: `;
  return `${at}${m.severity}${m.code ? `-${m.code}` : ''}: ${m.text}`;
}

function parseLint(output: string): LintMessage[] {
  const found: LintMessage[] = [];
  for (const line of output.split('\n')) {
    const match = messageLine.exec(line);
    if (!match) continue;
    const [, severity, code, file, lineNo, column, text] = match;
    // The closing summary restates the count of the messages already listed.
    if (file === undefined && /^Exiting due to/.test(text!)) continue;
    found.push(file === undefined
      ? { severity: severity!, code: code ?? '', text: text! }
      : { severity: severity!, code: code ?? '', file, line: Number(lineNo), column: Number(column), text: text! });
  }
  return found;
}

/** Every Verilator warning and error about `files` with `top` as the top module; empty when clean. */
export function lintVerilog(files: readonly VerilogFile[], top: string): Promise<LintMessage[]> {
  return withTempDir('lint', async (dir) => {
    await Promise.all(files.map((f) => writeFile(join(dir, f.fileName), f.text)));
    const args = ['--lint-only', '-Wall', '--top-module', top, ...files.map((f) => f.fileName)];
    const run = await runTool('verilator', args, dir);
    const found = parseLint(run.stderr + run.stdout);
    if (run.code !== 0 && found.length === 0) {
      throw new Error(`verilator ${args.join(' ')} exited with status ${run.code} and no message it could parse:\n${run.stderr}${run.stdout}`);
    }
    return found;
  });
}
