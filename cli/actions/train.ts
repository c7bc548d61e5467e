// `nmsparse train`: the training recipe (sw/train) from the command line; progress and the cache's
// decisions on stderr, the table of what was trained on stdout.
import { ManifestError } from '../../sw/train/manifest.js';
import { type EpochOverride, FULL_RECIPE, TINY_RECIPE, TRAIN_LEVELS, TRAIN_MODELS, withEpochs } from '../../sw/train/recipe.js';
import { train, TrainError } from '../../sw/train/run.js';
import { runCommand, UsageError } from '../errors.js';
import { list, parseChoice } from '../options.js';

export interface TrainCommandOptions {
  models: string;
  nm: string;
  out: string;
  epochs?: string;
  tiny?: boolean;
  data?: string;
}

const choices = <T extends string>(text: string, option: string, allowed: readonly T[]): T[] => list(text, option).map((item) => parseChoice(item, option, allowed));

function parseEpochs(text: string): EpochOverride {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.length > 3) throw new UsageError(`--epochs takes at most three numbers (dense, sparse, qat), got '${text}'`);
  const numbers = parts.map((p) => {
    const value = /^[0-9]+(\.[0-9]+)?$/.test(p) ? Number(p) : NaN;
    if (!(value > 0)) throw new UsageError(`--epochs takes positive numbers of epochs (fractions allowed), got '${p}'`);
    return value;
  });
  return { dense: numbers[0]!, ...(numbers[1] !== undefined ? { sparse: numbers[1] } : {}), ...(numbers[2] !== undefined ? { qat: numbers[2] } : {}) };
}

export function trainCommand(options: TrainCommandOptions): Promise<void> {
  return runCommand(async () => {
    const models = choices(options.models, '--models', TRAIN_MODELS);
    const levels = choices(options.nm, '--nm', TRAIN_LEVELS);
    const base = options.tiny ? TINY_RECIPE : FULL_RECIPE;
    const recipe = options.epochs === undefined ? base : withEpochs(base, parseEpochs(options.epochs));
    try {
      const manifest = await train({ models, levels, recipe, tiny: options.tiny ?? false, out: options.out, dataDir: options.data, log: (line) => process.stderr.write(`${line}\n`) });
      const rows = manifest.models.map((e) => `${e.model.padEnd(6)}  ${e.nm.padEnd(5)}  ${e.metrics.floatTop1.toFixed(2).padStart(6)}  ${e.metrics.qatTop1.toFixed(2).padStart(6)}  ${String(e.metrics.trainSeconds).padStart(7)}  ${e.onnx}`);
      process.stdout.write(`model   nm      float    int8  seconds  onnx\n${rows.join('\n')}\n`);
    } catch (e) {
      if (e instanceof TrainError || e instanceof ManifestError) throw new UsageError(e.message);
      throw e;
    }
  });
}
