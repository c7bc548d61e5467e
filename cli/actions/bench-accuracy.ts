// `nmsparse bench accuracy`: top-1 of models' integer networks on Fashion-MNIST (golden, whole
// test set), checked image by image on the simulated cluster over a subset, beside their cycles
// dense, software sparse and Xnmsparse (docs/bench.md#accuracy), on the bench's pool of threads.
import path from 'node:path';
import { fashionMnistDirectory, type ImageSet, readFashionMnist } from '../../sw/datasets/fashion-mnist.js';
import { type Shard, shardCases } from '../../sw/kernels/bench/shard.js';
import { runPool } from '../../sw/kernels/bench/sweep.js';
import { accuracySlice, mergeAccuracySlices } from '../../sw/net/accuracy/merge.js';
import { calibrationImages, compileOptions, deployedKernels, logitsTensor } from '../../sw/net/accuracy/evaluate.js';
import type { AccuracyModel } from '../../sw/net/accuracy/models.js';
import { type AccuracyRow, accuracyRows } from '../../sw/net/accuracy/rows.js';
import { type AccuracyResult, type AccuracySettings, type AccuracyTask, accuracyTaskName, accuracyTasks } from '../../sw/net/accuracy/tasks.js';
import { ACCURACY_WORKER } from '../../sw/net/accuracy/worker.js';
import { ModelError } from '../../sw/net/model-error.js';
import { quantizeModel } from '../../sw/net/pipeline.js';
import { readOnnx } from '../../sw/onnx/read.js';
import { checkOutputDirectory, writeFileAtomic } from '../../util/atomic-write.js';
import { ExitCode } from '../../util/exit-codes.js';
import { selectedModels } from '../bench/accuracy-models.js';
import { formatAccuracyReport } from '../bench/accuracy-report.js';
import { parseJobs, parseShard } from '../bench/options.js';
import { progressLine } from '../bench/progress.js';
import type { ReportFormat } from '../bench/report.js';
import { runCommand, UsageError } from '../errors.js';
import { message } from '../messages.js';
import { readModelFile } from '../net/model-file.js';
import { parseCount } from '../options.js';
import { readSliceFile } from '../bench/slice-file.js';

/** Test images run on the cluster by default (issue 17's figure): enough to catch a kernel that is wrong on some inputs; --iss-images takes fewer on a slow machine. */
export const DEFAULT_ISS_IMAGES = 500;

export interface BenchAccuracyOptions {
  manifest?: string;
  dataset?: string;
  testImages?: string;
  issImages?: string;
  jobs?: string;
  shard?: string;
  json?: boolean;
  markdown?: boolean;
  out?: string;
}

export type AccuracyReportOptions = Pick<BenchAccuracyOptions, 'json' | 'markdown' | 'out'>;

/**
 * Each model must take one Fashion-MNIST image, [1, 1, 28, 28], and quantize to a network with a
 * vector of logits: checked in this thread before any worker starts, so that a model the compiler
 * refuses is named as the user's mistake it is rather than as a failed task.
 */
function checkModels(models: readonly AccuracyModel[], test: ImageSet, train: ImageSet): void {
  const calibration = calibrationImages(train);
  for (const model of models) {
    const file = readModelFile(model.file);
    const dims = readOnnx(file.bytes, file.source).inputs[0]?.dims ?? [];
    const wanted = [1, 1, test.height, test.width];
    if (dims.length !== 4 || dims.some((d, i) => d !== wanted[i])) throw new ModelError(`${model.file}: the model takes [${dims.join(', ')}], not one ${test.height}x${test.width} grey image [${wanted.join(', ')}]`);
    logitsTensor(quantizeModel(file.bytes, model.file, compileOptions(model, deployedKernels(model), calibration)).network);
  }
}

/** The models checked and their tasks (every one, or slice `shard` of them). */
function prepare(models: readonly AccuracyModel[], settings: AccuracySettings, shard?: Shard): { tasks: AccuracyTask[]; testCount: number } {
  const test = readFashionMnist('test', settings.dataset);
  checkModels(models, test, readFashionMnist('train', settings.dataset));
  const tasks = accuracyTasks(models, settings, test.count);
  return { tasks: shard ? shardCases(tasks, shard) : tasks, testCount: test.count };
}

const runTasks = (tasks: readonly AccuracyTask[], jobs: number): Promise<AccuracyResult[]> =>
  runPool<AccuracyTask, AccuracyResult>(tasks, { jobs, worker: ACCURACY_WORKER, name: accuracyTaskName, onProgress: progressLine });

/** Every model's row, its tasks on `jobs` threads, with progress on stderr. */
export async function evaluateAccuracy(models: readonly AccuracyModel[], settings: AccuracySettings, jobs: number): Promise<AccuracyRow[]> {
  const { tasks } = prepare(models, settings);
  return accuracyRows(models, tasks, await runTasks(tasks, jobs));
}

/** The settings the options give, the image counts checked against the test set. */
export function accuracySettings(options: Pick<BenchAccuracyOptions, 'dataset' | 'testImages' | 'issImages'>): AccuracySettings {
  const dataset = fashionMnistDirectory(options.dataset);
  const count = readFashionMnist('test', dataset).count;
  return {
    dataset,
    testImages: options.testImages === undefined ? count : parseCount(options.testImages, '--test-images', 1, count),
    issImages: options.issImages === undefined ? Math.min(DEFAULT_ISS_IMAGES, count) : parseCount(options.issImages, '--iss-images', 0, count),
  };
}

/** Says so on stderr, and fails the command, when the cluster and the golden network differed on an image: a bug in nmsparse. */
export function reportDisagreements(rows: readonly AccuracyRow[]): void {
  const wrong = rows.filter((r) => !r.issAgreesWithGolden);
  if (wrong.length === 0) return;
  for (const r of wrong) process.stderr.write(message(`${r.model} ${r.nm}: the cluster's output differs from the golden integer network's on test image${r.issDisagreements.length > 1 ? 's' : ''} ${r.issDisagreements.join(', ')} (${r.kernels} kernels): a bug in nmsparse, please report it`));
  process.exitCode = ExitCode.internalError;
}

function emit(rows: readonly AccuracyRow[], options: AccuracyReportOptions): void {
  const format: ReportFormat = options.json ? 'json' : options.markdown ? 'markdown' : 'text';
  const report = formatAccuracyReport(rows, format);
  if (options.out === undefined) process.stdout.write(report);
  else writeFileAtomic(options.out, report);
  reportDisagreements(rows);
}

export function benchAccuracy(files: readonly string[], options: BenchAccuracyOptions): Promise<void> {
  return runCommand(async () => {
    const models = selectedModels(files, options.manifest);
    const settings = accuracySettings(options);
    const shard = options.shard === undefined ? undefined : parseShard(options.shard);
    if (shard && options.markdown) throw new UsageError('--shard writes the slice as JSON for `bench accuracy-merge`: drop --markdown');
    if (options.out !== undefined) checkOutputDirectory(path.dirname(options.out));
    const jobs = parseJobs(options.jobs);
    if (!shard) {
      emit(await evaluateAccuracy(models, settings, jobs), options);
      return;
    }
    const { tasks, testCount } = prepare(models, settings, shard);
    const slice = JSON.stringify(accuracySlice(models, settings, testCount, tasks, await runTasks(tasks, jobs)), null, 2) + '\n';
    if (options.out === undefined) process.stdout.write(slice);
    else writeFileAtomic(options.out, slice);
  });
}

export function benchAccuracyMerge(files: readonly string[], options: AccuracyReportOptions): Promise<void> {
  return runCommand(() => {
    if (options.out !== undefined) checkOutputDirectory(path.dirname(options.out));
    emit(mergeAccuracySlices(files.map((file) => readSliceFile(file, 'bench accuracy --shard i/n'))), options);
  });
}

