// The accuracy section of `nmsparse reproduce`: the trained models of the manifest through `bench
// accuracy`, written as accuracy.md and accuracy.json beside the other reports; when the models
// are not trained yet (or the data set is missing) the section says so and how to get them,
// instead of failing the run after the other sections.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DatasetError } from '../../sw/datasets/idx.js';
import { accuracySettings, evaluateAccuracy, reportDisagreements } from './bench-accuracy.js';
import { manifestIsTiny, modelsFromManifest } from '../bench/accuracy-models.js';
import { formatAccuracyReport } from '../bench/accuracy-report.js';

export const ACCURACY_TITLE = 'Accuracy under N:M sparsity: Fashion-MNIST top-1 of the trained models in int8, beside their cycles on 8 cores';

/** Where `nmsparse train` lists the models it trained, with its default --out. */
export const TRAINED_MANIFEST = path.join('fashion-mnist-models', 'manifest.json');

export interface AccuracySectionOptions {
  readonly jobs: number;
  readonly write: (file: string, data: string) => void;
  readonly manifest?: string;
  readonly issImages?: string;
}

export async function accuracySection(options: AccuracySectionOptions): Promise<void> {
  const manifest = options.manifest ?? TRAINED_MANIFEST;
  const skipped = (note: string): void => {
    process.stdout.write(`\n${ACCURACY_TITLE}\n${note}\n`);
    options.write('accuracy.md', `# ${ACCURACY_TITLE}\n\n${note}\n`);
    options.write('accuracy.json', JSON.stringify({ manifest, rows: [], note }, null, 2) + '\n');
  };
  if (!existsSync(manifest)) {
    skipped(`not measured: no trained models (${manifest} does not exist). \`nmsparse train\` trains the ResNet and the ViT dense and N:M sparse on Fashion-MNIST into fashion-mnist-models/ and lists them there; run reproduce again afterwards, or give another manifest with --manifest.`);
    return;
  }
  let settings;
  try {
    settings = accuracySettings(options.issImages === undefined ? {} : { issImages: options.issImages });
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
