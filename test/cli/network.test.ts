// `nmsparse compile` and `nmsparse run` as a user runs them, on the zoo's small ResNet: the run's
// report and JSON, the compiled program run again by `nmsparse sim`, an input from a .npy file,
// and refusals that name the file, the node or the option.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OnnxBuilder } from '../../sw/onnx/builder.js';
import { smallResNetOnnx } from '../../sw/onnx/zoo/resnet.js';
import { ExitCode } from '../../util/exit-codes.js';
import { nmsparse } from './run-nmsparse.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'nmsparse-network-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const model = path.join(dir, 'small.onnx');
writeFileSync(model, smallResNetOnnx(1));

/** A .npy file (format version 1.0) of float32 values: the header is a Python dict literal padded to 64 bytes. */
function npy(values: Float32Array, shape: readonly number[]): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const bytes = new Uint8Array(10 + header.length + values.byteLength);
  bytes.set([0x93, ...Buffer.from('NUMPY'), 1, 0, header.length & 0xff, header.length >> 8]);
  bytes.set(Buffer.from(header, 'latin1'), 10);
  bytes.set(new Uint8Array(values.buffer), 10 + header.length);
  return bytes;
}

describe('nmsparse run', () => {
  it('runs a network N:M-sparse and reports its output, cycles and layers, checked against the golden network', async () => {
    const { code, stdout, stderr } = await nmsparse(['run', model, '--nm', '1:8', '--cores', '4']);
    expect(code).toBe(ExitCode.success);
    expect(stderr).toMatch(/warning: calibrated on 4 deterministic random inputs/);
    expect(stdout).toMatch(/^small\.onnx: 10 layers on 4 cores, \d+ cycles \(simulated in [\d.]+ s\)$/m);
    expect(stdout).toMatch(/^the output bit-exact against the golden integer network$/m);
    expect(stdout).toMatch(/^top-5 of \S+: (\d+ \(-?[\d.]+\), ){4}\d+ \(-?[\d.]+\)$/m);
    expect(stdout).toMatch(/^\/layer1\.0\.conv1\/Conv +conv +16x16x8 +sparse 1:8 /m);
    expect(stdout).toMatch(/^activations +[\d.]+ KiB in L2/m);
  });

  it('checks every tensor and prints JSON, for an input from a .npy file', async () => {
    const input = path.join(dir, 'input.npy');
    writeFileSync(input, npy(Float32Array.from({ length: 3 * 16 * 16 }, (_, i) => Math.sin(i)), [1, 3, 16, 16]));
    const { code, stdout } = await nmsparse(['run', model, '--input', input, '--check-all', '--json']);
    expect(code).toBe(ExitCode.success);
    const result = JSON.parse(stdout) as { cycles: number; checkedTensors: number; layers: { cycles: number }[]; outputs: { top5: unknown[] }[] };
    expect(result.checkedTensors).toBeGreaterThan(10);
    expect(result.layers).toHaveLength(10);
    expect(result.layers.reduce((s, l) => s + l.cycles, 0)).toBeLessThanOrEqual(result.cycles);
    expect(result.outputs[0]!.top5).toHaveLength(5);
  });

  it('refuses a truncated file, an input of the wrong size, and --xnmsparse without --nm, naming what is wrong', async () => {
    const truncated = path.join(dir, 'truncated.onnx');
    writeFileSync(truncated, readFileSync(model).subarray(0, 200));
    const broken = await nmsparse(['run', truncated]);
    expect(broken.code).toBe(ExitCode.userError);
    expect(broken.stderr).toMatch(/^nmsparse: truncated\.onnx: is not a readable ONNX file/);
    const input = path.join(dir, 'short.npy');
    writeFileSync(input, npy(new Float32Array(10), [10]));
    expect((await nmsparse(['run', model, '--input', input])).stderr).toMatch(/short\.npy: 10 values, the model's input is 1x3x16x16 = 768/);
    expect((await nmsparse(['run', model, '--xnmsparse'])).stderr).toMatch(/--xnmsparse .* --nm/);
    expect((await nmsparse(['run', model, '--l2', '1M5'])).stderr).toMatch(/--l2 takes a size in bytes/);
  });

  it('names the node and the operator a network cannot be compiled for', async () => {
    const builder = new OnnxBuilder(17);
    const x = builder.input('x', 'float32', [1, 4]);
    builder.output(builder.node('Sin', [x], {}, { name: 'the_sine' }), 'float32', [1, 4]);
    const file = path.join(dir, 'sine.onnx');
    writeFileSync(file, builder.toBytes());
    const { code, stderr } = await nmsparse(['run', file]);
    expect(code).toBe(ExitCode.userError);
    expect(stderr).toMatch(/sine\.onnx: node 'the_sine' \(Sin\)/);
  });
});

describe('choosing the pruned layers', () => {
  it('prunes every layer with --prune-layers all, only the named ones otherwise, and refuses an unknown name', async () => {
    const all = await nmsparse(['compile', model, '--nm', '1:8', '--prune-layers', 'all', '-o', path.join(dir, 'all')]);
    expect(all.code).toBe(ExitCode.success);
    expect(all.stdout).toMatch(/^\/conv1\/Conv +conv +16x16x8 +sparse 1:8 /m);
    const one = await nmsparse(['compile', model, '--nm', '1:8', '--prune-layers', '/layer1.0.conv1/Conv', '-o', path.join(dir, 'one')]);
    expect(one.stdout.match(/sparse 1:8/g)).toHaveLength(1);
    const unknown = await nmsparse(['compile', model, '--nm', '1:8', '--prune-layers', 'conv9', '-o', path.join(dir, 'unknown')]);
    expect(unknown.code).toBe(ExitCode.userError);
    expect(unknown.stderr).toMatch(/--prune-layers: the model has no Conv, Gemm or MatMul node 'conv9'/);
  });
});

describe('nmsparse bench networks --slurm', () => {
  it('prints a script that shards the network sweep and merges it with networks-merge', async () => {
    const { code, stdout } = await nmsparse(['bench', 'networks', '--networks', 'resnet18-cifar', '--slurm', '5']);
    expect(code).toBe(ExitCode.success);
    expect(stdout).toMatch(/--array=0-4 /);
    expect(stdout).toMatch(/bench networks --networks resnet18-cifar --jobs 1 --json --shard/);
    expect(stdout).toMatch(/bench networks-merge --networks resnet18-cifar --json --out/);
  });
});

describe('nmsparse compile', () => {
  it('writes the program and its tables, and the program runs on its own under nmsparse sim', async () => {
    const out = path.join(dir, 'out');
    const { code, stdout } = await nmsparse(['compile', model, '--nm', '1:16', '--xnmsparse', '-o', out]);
    expect(code).toBe(ExitCode.success);
    expect(stdout).toMatch(/xnmsparse 1:16/);
    for (const file of ['small.elf', 'small.S', 'layers.json', 'memory.json']) expect(existsSync(path.join(out, file)), file).toBe(true);
    const layers = JSON.parse(readFileSync(path.join(out, 'layers.json'), 'utf8')) as { kernel: string }[];
    expect(layers.filter((l) => l.kernel === 'xnmsparse 1:16').length).toBeGreaterThan(0);
    const sim = await nmsparse(['sim', path.join(out, 'small.elf'), '--cores', '8', '--xnmsparse']);
    expect(sim.stderr).toMatch(/exit 0 after/);
    expect(sim.code).toBe(0);
  });

  it('says how much memory a network lacks', async () => {
    const code = await nmsparse(['compile', model, '--l2', '16K', '-o', path.join(dir, 'small-l2')]);
    expect(code.code).toBe(ExitCode.userError);
    expect(code.stderr).toMatch(/its code and tables take \d+ bytes \(\d+ tiles\), more than the 16384 bytes of L2: give the cluster more L2 \(--l2\)/);
    const data = await nmsparse(['compile', model, '--l2', '40K', '--l3', '0', '-o', path.join(dir, 'small-l3')]);
    expect(data.code).toBe(ExitCode.userError);
    expect(data.stderr).toMatch(/do not fit the \d+ bytes L2 has left beside the code and tables, and the cluster has no L3/);
  });
});

