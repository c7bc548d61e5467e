// Emitting a design is a pure function of its generator and parameters: two elaborations give the
// same bytes, in both forms, and so does a separate process under tsx (the runtime of the CLI,
// where source positions come from another TypeScript transform than vitest's). Generated files
// then diff cleanly and area numbers are reproducible.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkedDesigns, verilogForms } from './checked-designs.js';

const script = fileURLToPath(new URL('./emit-checked.ts', import.meta.url));
const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

describe('Verilog emission', () => {
  let fromOtherProcess: Record<string, string[]> = {};
  beforeAll(async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { cwd: projectRoot, maxBuffer: 256 << 20 });
    fromOtherProcess = JSON.parse(stdout) as Record<string, string[]>;
  });

  for (const checked of checkedDesigns) {
    for (const { form, emit } of verilogForms) {
      it(`${checked.label}: ${form} Verilog is byte-identical across elaborations and processes`, () => {
        const first = emit(checked.elaborate()).map((f) => f.text);
        const second = emit(checked.elaborate()).map((f) => f.text);
        expect(second).toEqual(first);
        expect(fromOtherProcess[`${checked.label} ${form}`]).toEqual(first);
      });
    }
  }
});
