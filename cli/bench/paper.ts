// The paper's kernel figures (docs/paper.md), which `nmsparse reproduce` prints beside ours.

/** Software N:M-sparse kernels over dense ones on the 8-core cluster, "up to", at the sparsities the paper names. */
export const PAPER_SPARSE_OVER_DENSE: Readonly<Record<string, number>> = { '1:8': 2.1, '1:16': 3.4 };

/** The ISA extension over the software sparse kernels, "up to", over all sparsities. */
export const PAPER_EXTENSION_OVER_SPARSE = 1.9;

/** PULP-NN's dense int8 convolution on an 8-core PULP cluster, MAC/cycle. */
export const PAPER_DENSE_MAC_PER_CYCLE = 15.5;

export const PAPER_CORES = 8;

/** Whole networks compiled with the sparse kernels, over dense (docs/paper.md), by network family. */
export const PAPER_NETWORK_SPEEDUPS: Readonly<Record<string, number>> = { resnet18: 3.21, vit: 1.81 };

/** The sparsity the network bench sets the paper's figures beside (its sparsest bench pattern). */
export const PAPER_NETWORK_SPARSITY = '1:16';
