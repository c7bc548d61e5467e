"""int8 fake quantization that torch.onnx.export (opset 13) writes as QuantizeLinear/DequantizeLinear
with zero point 0, the form the compiler reads (sw/net/quantize/qdq.ts): activations per tensor
(uint8 after a ReLU or a softmax, int8 symmetric elsewhere), weights per output channel, symmetric
int8 in [-127, 127], exported as int8 initializers behind a DequantizeLinear."""
import torch

ACTIVATION_MOMENTUM = 0.05


class ActQuant(torch.nn.Module):
    """Fake-quantizes an activation once enabled. Its scale follows the largest magnitude seen:
    the maximum over calibration batches, then an exponential average during quantization-aware
    training; frozen in eval mode. `fixed_scale` pins it (a softmax's 1/255, the compiler's)."""

    def __init__(self, unsigned, fixed_scale=None):
        super().__init__()
        self.unsigned = unsigned
        self.fixed_scale = fixed_scale
        self.register_buffer('peak', torch.zeros(()))
        self.enabled = False
        self.calibrating = False

    @property
    def levels(self):
        return (0, 255) if self.unsigned else (-128, 127)

    def scale(self):
        if self.fixed_scale is not None:
            return self.fixed_scale
        peak = float(self.peak)
        return (peak if peak > 0 else 1.0) / (255 if self.unsigned else 127)

    def forward(self, x):
        if self.calibrating:
            self.peak.copy_(torch.maximum(self.peak, x.detach().abs().max()))
            return x
        if not self.enabled:
            return x
        if self.training and self.fixed_scale is None:
            current = x.detach().abs().max()
            self.peak.mul_(1 - ACTIVATION_MOMENTUM).add_(ACTIVATION_MOMENTUM * current)
        low, high = self.levels
        return torch.fake_quantize_per_tensor_affine(x, self.scale(), 0, low, high)


def weight_scales(weight, axis=0):
    """Per output channel max |w| / 127; an all-zero channel gets scale 1 (any scale represents it)."""
    dims = [d for d in range(weight.dim()) if d != axis]
    peak = weight.detach().abs().amax(dim=dims)
    return torch.where(peak > 0, peak / 127, torch.ones_like(peak))


def fake_quant_weight(weight, axis=0):
    scales = weight_scales(weight, axis)
    return torch.fake_quantize_per_channel_affine(weight, scales, torch.zeros_like(scales, dtype=torch.int32), axis, -127, 127)


def quantize_weight(weight, axis=0):
    """The int8 values and float scales of a weight, as fake_quant_weight rounds it (0 stays 0, so an
    N:M pattern survives)."""
    scales = weight_scales(weight, axis)
    shape = [1] * weight.dim()
    shape[axis] = -1
    q = torch.clamp(torch.round(weight.detach() / scales.reshape(shape)), -127, 127).to(torch.int8)
    return q, scales.float()


class Dequantize(torch.autograd.Function):
    """int8 weight times per-channel scale; exported as DequantizeLinear of the int8 initializer."""

    @staticmethod
    def forward(ctx, q, scales, axis):
        shape = [1] * q.dim()
        shape[axis] = -1
        return q.float() * scales.reshape(shape)

    @staticmethod
    def symbolic(g, q, scales, axis):
        zero = g.op('Constant', value_t=torch.zeros(q.type().sizes()[axis], dtype=torch.int8))
        return g.op('DequantizeLinear', q, scales, zero, axis_i=axis)
