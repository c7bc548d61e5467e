// Yosys through @yowasp/yosys (WebAssembly, so no native install): runs a script over emitted
// Verilog in a virtual file system and returns the log. Synthesis checks and area reports build on it.
import { Exit, runYosys } from '@yowasp/yosys';
import type { VerilogFile } from './verilog';

export interface YosysRun {
  /** Everything Yosys printed, in order. */
  readonly log: string;
  /** Each warning with its indented continuation lines, e.g. every problem `check` found. */
  readonly warnings: readonly string[];
}

export class YosysError extends Error {
  override name = 'YosysError';

  constructor(
    message: string,
    readonly log: string,
  ) {
    super(message);
  }
}

const scriptName = 'nmsparse.ys';
const warningLine = /^(\S+:\d+: )?Warning: /;
const errorLine = /^(\S+:\d+: )?ERROR: /;

/** Lines matching `marker`, each with the indented lines that continue it. */
function collectMessages(log: string, marker: RegExp): string[] {
  const groups: string[][] = [];
  let open = false;
  for (const line of log.split('\n')) {
    if (marker.test(line)) {
      groups.push([line]);
      open = true;
    } else if (open && /^\s+\S/.test(line)) {
      groups.at(-1)!.push(line);
    } else {
      open = false;
    }
  }
  return groups.map((g) => g.join('\n'));
}

/**
 * Runs `script` (one Yosys command per entry) with `files` in the working directory. Throws a
 * YosysError carrying Yosys' ERROR lines and warnings when Yosys exits with an error.
 */
export async function runYosysScript(files: readonly VerilogFile[], script: readonly string[]): Promise<YosysRun> {
  const tree: Record<string, string> = Object.fromEntries(files.map((f) => [f.fileName, f.text]));
  tree[scriptName] = `${script.join('\n')}\n`;
  const chunks: Buffer[] = [];
  const sink = (bytes: Uint8Array | null): void => {
    if (bytes) chunks.push(Buffer.from(bytes));
  };
  let exitCode = 0;
  try {
    await runYosys(['-s', scriptName], tree, { stdout: sink, stderr: sink });
  } catch (e) {
    if (!(e instanceof Exit)) throw e;
    exitCode = e.code;
  }
  const log = Buffer.concat(chunks).toString('utf8');
  const warnings = collectMessages(log, warningLine);
  if (exitCode !== 0) {
    const errors = collectMessages(log, errorLine);
    const details = [...errors, ...warnings].join('\n') || log.split('\n').slice(-20).join('\n');
    throw new YosysError(`Yosys exited with status ${exitCode} running:\n  ${script.join('\n  ')}\n${details}`, log);
  }
  return { log, warnings };
}

/**
 * Reads the design and synthesizes `top` with the generic `synth` flow, asserting `check` both
 * before and after. The early check matters: synthesis optimizes away unused logic, which can hide
 * a multiply driven or looping net from the final check (synth's own internal check only warns).
 */
export function checkSynthesis(files: readonly VerilogFile[], top: string): Promise<YosysRun> {
  return runYosysScript(files, [
    `read_verilog ${files.map((f) => f.fileName).join(' ')}`,
    `hierarchy -check -top ${top}`,
    'proc',
    'check -assert',
    `synth -top ${top}`,
    'check -assert',
  ]);
}
