/**
 * The project's model zoo by name: ONNX files the tests, the network bench and users (`nmsparse
 * zoo`) build with random weights from a seed, in the form PyTorch's exporter writes them.
 */
import { RESNET18_CIFAR, RESNET18_IMAGENET, SMALL_RESNET, resNetOnnx } from './resnet.js';
import { SMALL_VIT, VIT_CIFAR, vitOnnx } from './vit.js';

export interface ZooModel {
  readonly name: string;
  readonly description: string;
  onnx(seed: number): Uint8Array;
}

export const ZOO: readonly ZooModel[] = [
  { name: 'resnet18-cifar', description: 'ResNet18, CIFAR variant: 32x32x3, 3x3 stem, no max pool, 10 classes', onnx: (seed) => resNetOnnx(RESNET18_CIFAR, seed) },
  { name: 'resnet18-imagenet', description: "ResNet18 as torchvision's: 224x224x3, 7x7/2 stem and 3x3/2 max pool, 1000 classes", onnx: (seed) => resNetOnnx(RESNET18_IMAGENET, seed) },
  { name: 'small-resnet', description: 'two residual stages of one block, 16x16x3, 8 and 16 channels, 10 classes', onnx: (seed) => resNetOnnx(SMALL_RESNET, seed) },
  { name: 'vit-cifar', description: 'ViT: 32x32x3, patch 4, dim 192, depth 6, 3 heads, MLP ratio 2, 10 classes', onnx: (seed) => vitOnnx(VIT_CIFAR, seed) },
  { name: 'small-vit', description: 'ViT: 16x16x3, patch 4, dim 32, depth 1, 2 heads, 10 classes', onnx: (seed) => vitOnnx(SMALL_VIT, seed) },
];
