import type { Command } from 'commander';
import type { TrainCommandOptions } from '../actions/train.js';

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train the Fashion-MNIST ResNet and ViT, dense and N:M sparse, quantize them to int8 and export QDQ ONNX files with a manifest (PyTorch; cached)')
    .option('--models <list>', 'models, comma-separated: resnet, vit', 'resnet,vit')
    .option('--nm <list>', "sparsity levels, comma-separated: dense, 1:4, 1:8, 1:16, 2:8 (dense is always trained: the sparse models start from it)", 'dense,1:4,1:8,1:16,2:8')
    .option('-o, --out <dir>', 'folder for the models (one folder each) and manifest.json', 'fashion-mnist-models')
    .option('--epochs <dense[,sparse[,qat]]>', "epochs of the dense, SR-STE and quantization-aware phases (every model alike; fractions allowed; default: the recipe's)")
    .option('--tiny', 'small models on 256 images, 2 steps per phase: a check of the pipeline, not of accuracy')
    .option('--data <dir>', 'folder of the Fashion-MNIST .gz files (default: $NMSPARSE_FASHION_MNIST, else /usr/share/datasets/fashion-mnist)')
    .action(async (options: TrainCommandOptions) => (await import('../actions/train.js')).trainCommand(options));
}
