// The accuracy section of `nmsparse reproduce`: the trained models through `bench accuracy`,
// written as accuracy.md and accuracy.json beside the other reports. Without --manifest the models
// come from the training recipe (sw/train): from its cache, or trained first, which reproduce
// says. When they cannot be had (no PyTorch, no data set, no such manifest) the section says so
// and how to get them, instead of failing the run after the other sections.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DatasetError } from '../../sw/datasets/idx.js';
import { FULL_RECIPE, TRAIN_LEVELS, TRAIN_MODELS } from '../../sw/train/recipe.js';
import { train, TrainError } from '../../sw/train/run.js';
import { accuracySettings, evaluateAccuracy, reportDisagreements } from './bench-accuracy.js';
import { manifestIsTiny, modelsFromManifest } from '../bench/accuracy-models.js';
import { formatAccuracyReport } from '../bench/accuracy-report.js';

export const ACCURACY_TITLE = 'Accuracy under N:M sparsity: Fashion-MNIST top-1 of the trained models in int8, beside their cycles on 8 cores';

/**
 * Test images of each model reproduce also runs on the cluster: 10 models x 100 images take some
 * 15 minutes with two jobs on this project's 2-core machine (1 to 3 s per image), where `bench
 * accuracy`'s 500 would take over an hour.
 */
export const REPRODUCE_ISS_IMAGES = 100;

/** The folder of the results where reproduce puts the trained models and their manifest. */
export const TRAINED_MODELS = 'fashion-mnist-models';

export interface AccuracySectionOptions {
  readonly jobs: number;
  readonly write: (file: string, data: string) => void;
  /** The results' folder (the trained models go to its TRAINED_MODELS). */
  readonly out: string;
  /** Models trained elsewhere (`nmsparse train -o`), instead of the recipe's. */
  readonly manifest?: string;
  readonly issImages?: string;
}

/** The full recipe's models, from the cache or trained now (progress on stderr): their manifest. */
async function recipeManifest(out: string): Promise<string> {
  const folder = path.join(out, TRAINED_MODELS);
  process.stderr.write(`the accuracy section's models: the training recipe's (${TRAIN_MODELS.join(', ')} at ${TRAIN_LEVELS.join(', ')}), from the cache where trained before, else trained now\n`);
  await train({ models: TRAIN_MODELS, levels: TRAIN_LEVELS, recipe: FULL_RECIPE, tiny: false, out: folder, log: (line) => process.stderr.write(`${line}\n`) });
  return path.join(folder, 'manifest.json');
}

export async function accuracySection(options: AccuracySectionOptions): Promise<void> {
  const skipped = (note: string, manifest?: string): void => {
    process.stdout.write(`\n${ACCURACY_TITLE}\n${note}\n`);
    options.write('accuracy.md', `# ${ACCURACY_TITLE}\n\n${note}\n`);
    options.write('accuracy.json', JSON.stringify({ manifest: manifest ?? null, rows: [], note }, null, 2) + '\n');
  };
  let manifest = options.manifest;
  if (manifest !== undefined && !existsSync(manifest)) {
    skipped(`not measured: no trained models (${manifest} does not exist). \`nmsparse train -o DIR\` trains the ResNet and the ViT dense and N:M sparse on Fashion-MNIST and lists them in DIR/manifest.json; without --manifest, reproduce trains them itself (or takes them from the cache).`, manifest);
    return;
  }
  if (manifest === undefined) {
    try {
      manifest = await recipeManifest(options.out);
    } catch (error) {
      if (!(error instanceof TrainError)) throw error;
      skipped(`not measured: the models could not be trained: ${error.message}`);
      return;
    }
  }
  let settings;
  try {
    settings = accuracySettings({ issImages: options.issImages ?? String(REPRODUCE_ISS_IMAGES) });
  } catch (error) {
    if (!(error instanceof DatasetError)) throw error;
    skipped(`not measured: ${error.message}`);
    return;
  }
  const rows = await evaluateAccuracy(modelsFromManifest(manifest), settings, options.jobs);
  const tiny = manifestIsTiny(manifest) ? `the models of ${manifest} were trained by \`nmsparse train --tiny\` (a few hundred images, a few steps): a check of the pipeline, not accuracy figures\n` : '';
  process.stdout.write(`\n${ACCURACY_TITLE}\n${tiny}${formatAccuracyReport(rows, 'text')}`);
  options.write('accuracy.md', `# ${ACCURACY_TITLE}\n\n${tiny === '' ? '' : `${tiny}\n`}${formatAccuracyReport(rows, 'markdown')}`);
  options.write('accuracy.json', JSON.stringify({ manifest, tiny: tiny !== '', rows }, null, 2) + '\n');
  reportDisagreements(rows);
}
