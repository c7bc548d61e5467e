// A one-node Slurm cluster on this machine for the tests: munged, slurmctld and slurmd from
// Debian's slurm-wlm and munge, each in the foreground as a child of the test, with their
// configuration, key, sockets, state and logs in a temporary directory, on free local ports,
// without cgroups or accounting. The commands (sbatch, squeue) reach it through SLURM_CONF.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findTool } from '../../../../gen/tools.js';

/** The daemons live in sbin, which a user's PATH may lack. */
export const SLURM_ENV: NodeJS.ProcessEnv = { ...process.env, PATH: [process.env.PATH, '/usr/sbin', '/sbin'].filter(Boolean).join(path.delimiter) };

export const SLURM_TOOLS = ['munged', 'mungekey', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'sinfo'];

export interface SlurmCluster {
  /** The environment for sbatch, squeue, sinfo: SLURM_CONF names the cluster's configuration. */
  readonly env: NodeJS.ProcessEnv;
  readonly dir: string;
  /** The daemons' logs, for a failure message. */
  logs(): string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const tool = (name: string): string => {
  const found = findTool(name, SLURM_ENV);
  if (!found) throw new Error(`${name} is not installed (apt-get install slurm-wlm munge)`);
  return found;
};

async function until(what: string, ready: () => boolean, timeoutMs: number, logs: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`${what} not within ${timeoutMs / 1000} s\n${logs()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function startSlurmCluster(): Promise<SlurmCluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nmsparse-slurm-'));
  const munge = path.join(dir, 'munge');
  mkdirSync(munge, { mode: 0o700 });
  for (const sub of ['state', 'spool']) mkdirSync(path.join(dir, sub));
  const key = path.join(munge, 'munge.key');
  const socket = path.join(munge, 'socket');
  execFileSync(tool('mungekey'), ['--create', `--keyfile=${key}`]);

  // slurmctld recognises itself by the short host name; the node is this host, at 127.0.0.1.
  const host = os.hostname().split('.')[0]!;
  const user = os.userInfo().username;
  const [ctldPort, slurmdPort] = [await freePort(), await freePort()];
  const conf = path.join(dir, 'slurm.conf');
  writeFileSync(
    conf,
    [
      'ClusterName=nmsparsetest',
      `SlurmctldHost=${host}(127.0.0.1)`,
      `SlurmUser=${user}`,
      `SlurmdUser=${user}`,
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${slurmdPort}`,
      'AuthType=auth/munge',
      'CredType=cred/munge',
      `AuthInfo=socket=${socket}`,
      `StateSaveLocation=${dir}/state`,
      `SlurmdSpoolDir=${dir}/spool`,
      `SlurmctldPidFile=${dir}/slurmctld.pid`,
      `SlurmdPidFile=${dir}/slurmd.pid`,
      `SlurmctldLogFile=${dir}/slurmctld.log`,
      `SlurmdLogFile=${dir}/slurmd.log`,
      // No cgroups, no accounting: plain process tracking, the smallest set of plugins.
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      'SwitchType=switch/none',
      'MpiDefault=none',
      'SchedulerType=sched/builtin',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_CPU',
      'ReturnToService=2',
      `NodeName=${host} NodeAddr=127.0.0.1 CPUs=${os.cpus().length} State=UNKNOWN`,
      `PartitionName=test Nodes=${host} Default=YES MaxTime=INFINITE State=UP`,
      '',
    ].join('\n'),
  );
  const env: NodeJS.ProcessEnv = { ...SLURM_ENV, SLURM_CONF: conf };
  const daemons: ChildProcess[] = [];
  // Each daemon's output goes to <name>.out (munged logs there in the foreground), shown on failure.
  const start = (name: string, args: string[]): void => {
    const output = openSync(path.join(dir, `${name}.out`), 'w');
    const child = spawn(tool(name), args, { env, cwd: dir, stdio: ['ignore', output, output] });
    closeSync(output);
    child.once('exit', (code, signal) => {
      if (!stopping) writeFileSync(path.join(dir, `${name}.exit`), `${name} exited early (${code ?? signal})\n`);
    });
    daemons.push(child);
  };
  let stopping = false;
  const read = (file: string): string => {
    try {
      return readFileSync(path.join(dir, file), 'utf8');
    } catch {
      return '';
    }
  };
  const logs = (): string =>
    ['munged.exit', 'munged.out', 'slurmctld.exit', 'slurmctld.out', 'slurmctld.log', 'slurmd.exit', 'slurmd.out', 'slurmd.log'].map((f) => `--- ${f}\n${read(f).split('\n').slice(-15).join('\n')}`).join('\n');

  const stop = async (): Promise<void> => {
    stopping = true;
    await Promise.all(
      daemons.reverse().map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    // -f: munged's checks want root-owned system directories, which a temporary one is not.
    start('munged', ['--foreground', '--force', `--socket=${socket}`, `--key-file=${key}`, `--pid-file=${munge}/pid`, `--seed-file=${munge}/seed`]);
    await until('munged socket', () => existsSync(socket), 10_000, logs);
    start('slurmctld', ['-D', '-i']);
    start('slurmd', ['-D', '-N', host]);
    const idle = (): boolean => {
      try {
        return /^idle/.test(execFileSync(tool('sinfo'), ['-h', '-o', '%T'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
      } catch {
        return false;
      }
    };
    await until('the Slurm node idle', idle, 30_000, logs);
  } catch (e) {
    // A daemon that started is stopped again, the others' logs are in the message.
    await stop();
    throw e;
  }

  return { env, dir, logs, stop };
}
