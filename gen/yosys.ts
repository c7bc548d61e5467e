// Yosys through @yowasp/yosys (WebAssembly, so no native install): runs a script over emitted
// Verilog in a virtual file system and returns the log. Synthesis checks and area reports build on it.
import { Exit, runYosys } from '@yowasp/yosys';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { VerilogFile } from './verilog/index.js';

/** A file handed to Yosys: emitted Verilog, a Liberty library, ... */
export interface YosysInput {
  readonly fileName: string;
  readonly text: string;
}

export interface YosysRun {
  /** Everything Yosys printed, in order. */
  readonly log: string;
  /** Files the script wrote (e.g. with `tee -o`), by name. */
  readonly outputs: ReadonlyMap<string, string>;
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

/** Version of the installed @yowasp/yosys package (its `exports` hide package.json from import). */
export function yosysPackageVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@yowasp/yosys');
  const manifest = path.join(path.dirname(entry), '..', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}
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
export async function runYosysScript(files: readonly YosysInput[], script: readonly string[]): Promise<YosysRun> {
  const tree: Record<string, string> = Object.fromEntries(files.map((f) => [f.fileName, f.text]));
  tree[scriptName] = `${script.join('\n')}\n`;
  const chunks: Buffer[] = [];
  const sink = (bytes: Uint8Array | null): void => {
    if (bytes) chunks.push(Buffer.from(bytes));
  };
  let exitCode = 0;
  let result: Record<string, unknown> = {};
  try {
    result = (await runYosys(['-s', scriptName], tree, { stdout: sink, stderr: sink })) ?? {};
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
  const decoder = new TextDecoder();
  const outputs = new Map<string, string>();
  for (const [name, content] of Object.entries(result)) {
    if (name in tree) continue;
    if (typeof content === 'string') outputs.set(name, content);
    else if (content instanceof Uint8Array) outputs.set(name, decoder.decode(content));
  }
  return { log, warnings, outputs };
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
