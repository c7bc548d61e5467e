import type { Command } from 'commander';
import type { KernelOptions } from '../actions/kernel.js';

export function registerKernel(program: Command): void {
  program
    .command('kernel')
    .description('generate one int8 layer for the cluster (dense, software N:M sparse or Xnmsparse) and run it, or emit it as a self-checking program')
    .argument('<kind>', 'conv, pointwise, dw (depthwise), fc or matmul')
    .requiredOption('--input <HxWxC>', 'input tensor, HWC (fc and matmul: 1x1xC, C the reduction length)')
    .option('--filters <K>', 'output channels (dw: the input channels)')
    .option('--kernel <KHxKW>', 'window (default 3x3 for conv and dw, 1x1 otherwise)')
    .option('--stride <S>', 'stride', '1')
    .option('--pad <P|T,B,L,R>', 'zero padding on every side, or top,bottom,left,right', '0')
    .option('--tokens <T>', 'matmul: tokens (rows of the activation matrix)')
    .option('--activation-weights', 'matmul: the weight operand is an int8 activation (attention), dense only')
    .option('--variant <variant>', 'dense, sparse (plain CV32E40P), xnmsparse (Xnmsparse nm.mac4) or xnmsparse-v1 (its revision 1, nm.lg)', 'dense')
    .option('--nm <N:M>', 'sparsity of the sparse variants: 1:4, 1:8, 1:16, 2:8, 2:16 (or 2:4)')
    .option('--cores <n>', 'cluster cores sharing the layer', '8')
    .option('--input-type <type>', 'activations: uint8 or int8', 'uint8')
    .option('--output-type <type>', 'outputs: uint8 or int8', 'uint8')
    .option('--relu', 'int8 outputs: clamp at 0')
    .option('--seed <n>', 'seed of the random input, weights and quantization', '1')
    .option('--emit <form>', 'asm or elf: write the self-checking program (exit code 0 when bit-exact) instead of running it')
    .option('-o, --out <file>', 'file for --emit (asm goes to stdout without it)')
    .action(async (kind: string, options: KernelOptions) => (await import('../actions/kernel.js')).kernel(kind, options));
}
