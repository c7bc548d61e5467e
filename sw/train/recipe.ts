/**
 * The training recipe's settings (docs/training.md): the two models' shapes, the sparsity levels,
 * and the hyperparameters of each phase. They are part of every cached result's hash, so a change
 * here retrains what it affects. The `tiny` recipe is the same pipeline on a few hundred images
 * for a couple of steps (CI: every stage runs, no accuracy is claimed).
 */
export const TRAIN_MODELS = ['resnet', 'vit'] as const;
export type TrainModel = (typeof TRAIN_MODELS)[number];

/** The sparsity levels the recipe trains: the dense baseline and N:M along the reduction axis. */
export const TRAIN_LEVELS = ['dense', '1:4', '1:8', '1:16', '2:8'] as const;
export type TrainLevel = (typeof TRAIN_LEVELS)[number];

export interface ResNetConfig {
  /** Channels of each residual stage (BasicBlocks; every stage after the first halves the resolution). */
  readonly widths: readonly number[];
  /** BasicBlocks per stage. */
  readonly blocks: readonly number[];
}

export interface ViTConfig {
  readonly patch: number;
  readonly dim: number;
  readonly depth: number;
  readonly heads: number;
  readonly mlp: number;
}

export interface Hyperparameters {
  readonly seed: number;
  readonly batch: number;
  readonly optimizer: 'sgd' | 'adamw';
  readonly weightDecay: number;
  /** Peak learning rate of the dense phase (linear warm-up, then cosine to 0). */
  readonly lr: number;
  readonly warmupSteps: number;
  /** Epochs of dense training from scratch (fractions allowed, as for every phase). */
  readonly denseEpochs: number;
  /** Epochs of SR-STE training from the dense model, and its peak learning rate. */
  readonly sparseEpochs: number;
  readonly sparseLr: number;
  /** Epochs of quantization-aware fine-tuning after folding batch norm, and its peak learning rate. */
  readonly qatEpochs: number;
  readonly qatLr: number;
  /** Random shifts of up to 2 pixels and horizontal flips. */
  readonly augment: boolean;
  /** Batches of 256 images whose largest magnitudes start the activation scales. */
  readonly calibrationBatches: number;
  /** Stops every phase after this many steps (the tiny recipe); null: the epochs decide. */
  readonly maxSteps: number | null;
}

export interface ModelRecipe<Config> {
  readonly config: Config;
  readonly hyper: Hyperparameters;
}

export interface Recipe {
  readonly resnet: ModelRecipe<ResNetConfig>;
  readonly vit: ModelRecipe<ViTConfig>;
  /** Training and test images used (null: all 60 000 and 10 000). */
  readonly limits: { readonly train: number | null; readonly test: number | null };
  /** PyTorch threads (the machine's two cores). */
  readonly threads: number;
}

const RESNET_HYPER: Hyperparameters = {
  seed: 1,
  batch: 256,
  optimizer: 'sgd',
  weightDecay: 5e-4,
  lr: 0.2,
  warmupSteps: 50,
  denseEpochs: 4,
  sparseEpochs: 4,
  sparseLr: 0.04,
  qatEpochs: 0.1,
  qatLr: 0.004,
  augment: false,
  calibrationBatches: 8,
  maxSteps: null,
};

const VIT_HYPER: Hyperparameters = {
  seed: 1,
  batch: 256,
  optimizer: 'adamw',
  weightDecay: 0.05,
  lr: 3e-3,
  warmupSteps: 50,
  denseEpochs: 6,
  sparseEpochs: 1.5,
  sparseLr: 1e-3,
  qatEpochs: 0.05,
  qatLr: 1e-4,
  augment: false,
  calibrationBatches: 8,
  maxSteps: null,
};

export const FULL_RECIPE: Recipe = {
  resnet: { config: { widths: [32, 64, 128], blocks: [1, 1, 1] }, hyper: RESNET_HYPER },
  vit: { config: { patch: 7, dim: 64, depth: 2, heads: 4, mlp: 128 }, hyper: VIT_HYPER },
  limits: { train: null, test: null },
  threads: 2,
};

/** Small models, 256 images, 2 steps per phase: the whole pipeline in seconds. */
export const TINY_RECIPE: Recipe = {
  resnet: { config: { widths: [16, 32, 32], blocks: [1, 1, 1] }, hyper: { ...RESNET_HYPER, batch: 64, warmupSteps: 0, maxSteps: 2, calibrationBatches: 1 } },
  vit: { config: { patch: 7, dim: 32, depth: 1, heads: 2, mlp: 64 }, hyper: { ...VIT_HYPER, batch: 64, warmupSteps: 0, maxSteps: 2, calibrationBatches: 1 } },
  limits: { train: 256, test: 256 },
  threads: 2,
};

/** Epochs of the three phases, to override a recipe's (every model alike). */
export interface EpochOverride {
  readonly dense: number;
  readonly sparse?: number;
  readonly qat?: number;
}

export function withEpochs(recipe: Recipe, epochs: EpochOverride): Recipe {
  const apply = (h: Hyperparameters): Hyperparameters => ({ ...h, denseEpochs: epochs.dense, sparseEpochs: epochs.sparse ?? h.sparseEpochs, qatEpochs: epochs.qat ?? h.qatEpochs });
  return { ...recipe, resnet: { ...recipe.resnet, hyper: apply(recipe.resnet.hyper) }, vit: { ...recipe.vit, hyper: apply(recipe.vit.hyper) } };
}
