// torchvision's own models, exported by PyTorch (Debian's python3-torch and python3-torchvision,
// which .ci/run installs) with torch.onnx.export's defaults, through the whole pipeline: ResNet18,
// MobileNetV2 and the VisionTransformer (nn.MultiheadAttention: token-major [T, 1, D] values, a
// fused in-projection, [T, H, d] heads) compile and run on the cluster bit-exact against the
// golden integer network.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runGolden } from '../../sw/net/golden.js';
import { compileModel, DEFAULT_MEMORY } from '../../sw/net/pipeline.js';
import { runNetwork } from '../../sw/net/run.js';

/** Debian's Python, which has torch (a pyenv or virtualenv python3 on PATH may not). */
const PYTHON = '/usr/bin/python3';

function torchMissing(): string | false {
  try {
    execFileSync(PYTHON, ['-c', 'import torch, torchvision'], { stdio: 'ignore' });
    return false;
  } catch {
    const reason = `${PYTHON} cannot import torch and torchvision (apt-get install python3-torch python3-torchvision)`;
    if (process.env['CI'] === 'true') throw new Error(`CI=true requires every external tool: ${reason}`);
    return reason;
  }
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'nmsparse-torchvision-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const script = path.join(__dirname, 'fixtures', 'export_torchvision.py');

function exported(name: string, size: number): Uint8Array {
  const file = path.join(dir, `${name}-${size}.onnx`);
  execFileSync(PYTHON, [script, name, String(size), file], { stdio: 'ignore' });
  return new Uint8Array(readFileSync(file));
}

describe.skipIf(torchMissing())('torchvision models exported by PyTorch', () => {
  for (const [name, size, nm] of [['resnet18', 32, { n: 1, m: 8 }], ['mobilenet_v2', 32, undefined], ['vit', 16, { n: 1, m: 4 }]] as const) {
    it(`${name} compiles and runs bit-exact${nm ? ` at ${nm.n}:${nm.m}` : ''}`, () => {
      const model = compileModel(exported(name, size), `${name}.onnx`, { ...(nm ? { nm } : {}), calibration: { random: 1, seed: 1 }, cores: 8, memory: DEFAULT_MEMORY });
      const run = runNetwork(model.compiled);
      const golden = runGolden(model.network, model.input);
      for (const output of model.network.outputs) expect(run.outputs.get(output)).toEqual(golden.get(output));
      expect(model.network.outputs.map((o) => model.network.tensors.get(o)!.shape.c)).toEqual([name === 'vit' ? 10 : 1000]);
    });
  }
});
