"""N:M masks along the reduction axis in the compiler's im2col order (docs/sparse-format.md), and
SR-STE (Zhou et al., "Learning N:M Fine-grained Structured Sparse Neural Networks From Scratch",
ICLR 2021): the forward pass uses the masked weights, the gradient reaches every dense weight
(straight-through) and the pruned ones are decayed by lambda_w * w (the sparse-refined term)."""
import torch


def reduction_rows(weight):
    """A weight as rows of K, one per output channel, in the order the kernels reduce: for a conv
    [O, C, kh, kw] that is (ky, kx, c) (sw/net/quantize/sparsity.ts detectNM's im2col order); for a
    linear [O, I] the input features."""
    if weight.dim() == 4:
        return weight.permute(0, 2, 3, 1).reshape(weight.shape[0], -1)
    if weight.dim() == 2:
        return weight
    raise ValueError(f'no reduction order for a weight of shape {tuple(weight.shape)}')


def from_reduction_rows(rows, shape):
    if len(shape) == 4:
        o, c, kh, kw = shape
        return rows.reshape(o, kh, kw, c).permute(0, 3, 1, 2)
    return rows.reshape(shape)


def nm_mask(weight, n, m):
    """1 where a weight survives: in every block of m consecutive weights of a row (starting at
    k = 0; a last shorter block too), the n of largest magnitude, ties to the lower position, as
    sw/sparse/prune.ts pruneNM keeps them."""
    rows = reduction_rows(weight.detach()).abs()
    o, k = rows.shape
    padded_k = -(-k // m) * m
    # Padding is -1: below every magnitude, never kept over a real weight.
    blocks = torch.nn.functional.pad(rows, (0, padded_k - k), value=-1.0).reshape(o, padded_k // m, m)
    # A stable sort by descending magnitude keeps the lower position first among equals.
    order = torch.sort(blocks, dim=2, descending=True, stable=True).indices[:, :, :n]
    keep = torch.zeros_like(blocks).scatter_(2, order, 1.0).reshape(o, padded_k)[:, :k]
    return from_reduction_rows(keep, weight.shape).contiguous()


def satisfies(weight, n, m):
    """Whether every block holds at most n nonzeros (what the compiler's detectNM checks)."""
    rows = reduction_rows(weight.detach())
    o, k = rows.shape
    padded_k = -(-k // m) * m
    nonzero = torch.nn.functional.pad((rows != 0).float(), (0, padded_k - k)).reshape(o, padded_k // m, m)
    return bool((nonzero.sum(2) <= n).all())


class SrSte(torch.autograd.Function):
    @staticmethod
    def forward(ctx, weight, mask, decay):
        ctx.save_for_backward(weight, mask)
        ctx.decay = decay
        return weight * mask

    @staticmethod
    def backward(ctx, grad):
        weight, mask = ctx.saved_tensors
        return grad + ctx.decay * (1 - mask) * weight, None, None
