"""Convolution and linear layers whose weights can be N:M sparse (SR-STE while training, a fixed
mask after), fake-quantized (per-channel int8), and exported as int8 initializers."""
import torch
import torch.nn.functional as F

from nm import SrSte, nm_mask
from quant import Dequantize, fake_quant_weight, quantize_weight

SRSTE_DECAY = 2e-4  # lambda_w of Zhou et al. (ICLR 2021)


class WeightLayer(torch.nn.Module):
    """State shared by the layers: `pattern` (n, m) or None, whether the mask is recomputed each
    step (SR-STE) or fixed, whether weights are fake-quantized, and the exported int8 weights."""

    def __init__(self):
        super().__init__()
        self.pattern = None
        self.fixed_mask = False
        self.quantized = False
        self.exporting = False

    def prepare_export(self):
        """Computes the int8 weights once, as buffers: the export must see constants (a DequantizeLinear
        of int8 initializers), not the rounding ops that made them."""
        q, scales = self.int8_weight()
        self.register_buffer('export_q', self.export_layout(q))
        self.register_buffer('export_scales', scales)
        self.exporting = True

    def export_layout(self, q):
        return q

    def sparsify(self, pattern):
        self.pattern = pattern
        self.fixed_mask = False

    def freeze_mask(self):
        """Ends SR-STE: the pruned weights become zeros and stay zeros."""
        if self.pattern is None:
            return
        mask = nm_mask(self.weight, *self.pattern)
        self.register_buffer('mask', mask)
        with torch.no_grad():
            self.weight.mul_(mask)
        self.fixed_mask = True

    def fold_batch_norm(self):
        """Layers without batch norm have nothing to fold."""

    def effective_weight(self):
        w = self.weight
        if self.pattern is not None:
            w = w * self.mask if self.fixed_mask else SrSte.apply(w, nm_mask(w, *self.pattern), SRSTE_DECAY)
        if self.quantized:
            w = fake_quant_weight(w, 0)
        return w

    def int8_weight(self):
        """The int8 values and scales the fake quantization uses (the pattern exact: 0 stays 0)."""
        w = self.weight * self.mask if self.fixed_mask else self.weight
        return quantize_weight(w, 0)


class Conv(WeightLayer):
    """A convolution with batch norm until `fold_batch_norm`, after which it has a bias instead."""

    def __init__(self, cin, cout, kernel, stride=1, padding=0, batch_norm=True, bias=False):
        super().__init__()
        self.stride, self.padding = stride, padding
        self.weight = torch.nn.Parameter(torch.empty(cout, cin, kernel, kernel))
        torch.nn.init.kaiming_normal_(self.weight, mode='fan_out', nonlinearity='relu')
        self.bn = torch.nn.BatchNorm2d(cout) if batch_norm else None
        self.bias = torch.nn.Parameter(torch.zeros(cout)) if bias or not batch_norm else None

    def fold_batch_norm(self):
        if self.bn is None:
            return
        bn = self.bn
        factor = bn.weight.detach() / torch.sqrt(bn.running_var + bn.eps)
        bias = bn.bias.detach() - bn.running_mean * factor
        if self.bias is not None:
            bias = bias + self.bias.detach() * factor
        with torch.no_grad():
            self.weight.mul_(factor.reshape(-1, 1, 1, 1))
        self.bias = torch.nn.Parameter(bias.clone())
        self.bn = None

    def forward(self, x):
        if self.exporting:
            return F.conv2d(x, Dequantize.apply(self.export_q, self.export_scales, 0), self.bias, self.stride, self.padding)
        y = F.conv2d(x, self.effective_weight(), self.bias, self.stride, self.padding)
        return self.bn(y) if self.bn is not None else y


class Linear(WeightLayer):
    """x W^T + b; exported as MatMul by the int8 W^T (per-channel scales along its axis 1) and an Add."""

    def __init__(self, cin, cout):
        super().__init__()
        layer = torch.nn.Linear(cin, cout)
        self.weight = torch.nn.Parameter(layer.weight.detach().clone())
        self.bias = torch.nn.Parameter(layer.bias.detach().clone())

    def forward(self, x):
        if self.exporting:
            return torch.matmul(x, Dequantize.apply(self.export_q, self.export_scales, 1)) + self.bias
        return F.linear(x, self.effective_weight(), self.bias)

    def export_layout(self, q):
        return q.t().contiguous()
