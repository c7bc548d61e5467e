// `nmsparse zoo`: the project's ONNX models, listed or written to a file.
import { ZOO } from '../../sw/onnx/zoo/index.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { runCommand, UsageError } from '../errors.js';
import { parseCount } from '../options.js';

export interface ZooOptions {
  out?: string;
  seed: string;
}

export function zoo(model: string | undefined, options: ZooOptions): Promise<void> {
  return runCommand(() => {
    if (model === undefined) {
      const width = Math.max(...ZOO.map((m) => m.name.length));
      process.stdout.write(ZOO.map((m) => `${m.name.padEnd(width)}  ${m.description}\n`).join(''));
      return;
    }
    const entry = ZOO.find((m) => m.name === model);
    if (!entry) throw new UsageError(`no zoo model '${model}' (models: ${ZOO.map((m) => m.name).join(', ')})`);
    if (options.out === undefined) throw new UsageError('give the file to write with --out');
    writeFileAtomic(options.out, entry.onnx(parseCount(options.seed, '--seed', 0, 2 ** 32 - 1)));
  });
}
