/**
 * The accuracy bench's rows: the results of a model's tasks (tasks.ts) joined into one row per
 * model and sparsity, with the drop against the same model's dense int8 row.
 */
import { type AccuracyResult, type AccuracyTask } from './tasks.js';
import { type KernelChoice, deployedKernels } from './evaluate.js';
import type { AccuracyModel } from './models.js';

export interface AccuracyRow {
  readonly model: string;
  /** 'dense' or the N:M pattern ("1:8"). */
  readonly nm: string;
  readonly sparsity: AccuracyModel['sparsity'];
  readonly file: string;
  /** Top-1 of the float model, percent, from its training (null when it reported none). */
  readonly floatTop1: number | null;
  /** Top-1 of the int8 fake-quantized model in the training framework, percent (null when it reported none). */
  readonly qatTop1: number | null;
  /** Top-1 of the integer network (golden), percent, over testImages images: int8Correct of them. */
  readonly int8Top1: number;
  readonly int8Correct: number;
  readonly testImages: number;
  /** Points of int8 top-1 lost against the same model's dense row (null without one). */
  readonly dropVsDense: number | null;
  /** The kernels the row is deployed with, and run with on the cluster: Xnmsparse for N:M, dense else. */
  readonly kernels: KernelChoice;
  /** Weight images and quantization tables of the deployed program. */
  readonly weightBytes: number;
  /** Whole-network cycles on 8 cores, for each kernel choice the row has. */
  readonly cycles: Partial<Record<KernelChoice, number>>;
  /** Images run on the cluster, and whether every output byte of each equalled the golden network's. */
  readonly issImages: number;
  readonly issAgreesWithGolden: boolean;
  /** The images (test-set indices) where the cluster and the golden network differ: empty unless nmsparse has a bug. */
  readonly issDisagreements: readonly number[];
  /** Top-1 over the cluster-checked images, percent (null when none were run). */
  readonly issTop1: number | null;
  /** Wall-clock seconds the simulator took per image, and images per second of the golden network (this machine's). */
  readonly issSecondsPerImage: number | null;
  readonly goldenImagesPerSecond: number;
}

const percent = (part: number, whole: number): number => (100 * part) / whole;

/** One row per model, in the models' order, from the results of `tasks` (in the same order). */
export function accuracyRows(models: readonly AccuracyModel[], tasks: readonly AccuracyTask[], results: readonly AccuracyResult[]): AccuracyRow[] {
  if (tasks.length !== results.length) throw new RangeError(`${results.length} results for ${tasks.length} tasks`);
  const rows = models.map((model): AccuracyRow => {
    const own = results.filter((_, i) => tasks[i]!.model === model);
    const goldens = own.flatMap((r) => (r.kind === 'golden' ? [r] : []));
    if (goldens.length === 0) throw new RangeError(`${model.model} ${model.nm}: no golden result`);
    const golden = { images: goldens.reduce((n, r) => n + r.images, 0), correct: goldens.reduce((n, r) => n + r.correct, 0), seconds: goldens.reduce((s, r) => s + r.seconds, 0) };
    const iss = own.flatMap((r) => (r.kind === 'iss' ? [r] : []));
    const cycleResults = own.flatMap((r) => (r.kind === 'cycles' ? [r] : []));
    const kernels = deployedKernels(model);
    const deployed = cycleResults.find((r) => r.kernels === kernels);
    if (!deployed) throw new RangeError(`${model.model} ${model.nm}: no cycles with the ${kernels} kernels`);
    const issImages = iss.reduce((n, r) => n + r.images, 0);
    const disagreements = iss.flatMap((r) => r.disagreements);
    const seconds = iss.reduce((s, r) => s + r.simulationSeconds, 0);
    return {
      model: model.model,
      nm: model.nm,
      sparsity: model.sparsity,
      file: model.file,
      floatTop1: model.floatTop1 ?? null,
      qatTop1: model.qatTop1 ?? null,
      int8Top1: percent(golden.correct, golden.images),
      int8Correct: golden.correct,
      testImages: golden.images,
      dropVsDense: null,
      kernels,
      weightBytes: deployed.weightBytes,
      cycles: Object.fromEntries(cycleResults.map((r) => [r.kernels, r.cycles])),
      issImages,
      issAgreesWithGolden: disagreements.length === 0,
      issDisagreements: disagreements,
      issTop1: issImages === 0 ? null : percent(iss.reduce((n, r) => n + r.correct, 0), issImages),
      issSecondsPerImage: issImages === 0 ? null : seconds / issImages,
      goldenImagesPerSecond: golden.images / golden.seconds,
    };
  });
  return rows.map((row) => {
    const dense = rows.find((r) => r.model === row.model && r.nm === 'dense');
    // From the counts, when both rows classified the same images, so that the difference carries no rounding of its own.
    if (!dense) return row;
    return { ...row, dropVsDense: dense.testImages === row.testImages ? percent(dense.int8Correct - row.int8Correct, row.testImages) : dense.int8Top1 - row.int8Top1 };
  });
}
