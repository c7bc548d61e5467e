// Runs the installed command, as a user would, and collects what it printed and its exit status.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const bin = path.resolve(__dirname, '../../bin/nmsparse.js');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliSettings {
  readonly cwd?: string;
  /** Extra environment; NMSPARSE_DEBUG is cleared unless given here. */
  readonly env?: Readonly<Record<string, string>>;
}

/** Nothing nmsparse is asked in the tests takes a minute: a run that does has hung. */
const HUNG_AFTER_MS = 60_000;

export async function nmsparse(args: readonly string[], settings: CliSettings = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, NMSPARSE_DEBUG: undefined, ...settings.env };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { cwd: settings.cwd, env, timeout: HUNG_AFTER_MS });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const failed = e as { code: number | string; killed?: boolean; stdout: string; stderr: string };
    if (failed.killed) throw new Error(`nmsparse ${args.join(' ')} still running after ${HUNG_AFTER_MS / 1000} s: hung`);
    if (typeof failed.code !== 'number') throw e;
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
