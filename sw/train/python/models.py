"""The two models: a small ResNet (torchvision's BasicBlock form) and a small Vision Transformer
(pre-norm blocks, class token), sized for Fashion-MNIST's 28x28x1 images. Each activation the
compiler keeps as a tensor passes an ActQuant, so the exported QDQ graph gives every tensor its
scale; values the compiler fuses (a conv's output before its ReLU) have none."""
import torch
import torch.nn.functional as F

from layers import Conv, Linear, WeightLayer
from quant import ActQuant

INPUT_SCALE = 1 / 255  # pixel / 255 is exactly uint8 at this scale


class BasicBlock(torch.nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = Conv(cin, cout, 3, stride, 1)
        self.q1 = ActQuant(unsigned=True)
        self.conv2 = Conv(cout, cout, 3, 1, 1)
        self.q2 = ActQuant(unsigned=False)
        self.downsample = Conv(cin, cout, 1, stride, 0) if stride != 1 or cin != cout else None
        self.qd = ActQuant(unsigned=False) if self.downsample is not None else None
        self.qout = ActQuant(unsigned=True)

    def forward(self, x):
        y = self.q1(F.relu(self.conv1(x)))
        y = self.q2(self.conv2(y))
        shortcut = self.qd(self.downsample(x)) if self.downsample is not None else x
        return self.qout(F.relu(y + shortcut))


class ResNet(torch.nn.Module):
    """A 3x3 stem at 28x28, a 2x2 max pool (the residual stages at 14x14 and below cost a quarter of
    the compute at 28x28, what lets the set train within its budget on two cores), then stages of
    BasicBlocks, each after the first halving the resolution; global average pool, classifier."""

    def __init__(self, widths, blocks):
        super().__init__()
        self.qin = ActQuant(unsigned=True, fixed_scale=INPUT_SCALE)
        self.stem = Conv(1, widths[0], 3, 1, 1)
        self.qstem = ActQuant(unsigned=True)
        stages = []
        cin = widths[0]
        for i, (width, count) in enumerate(zip(widths, blocks)):
            for b in range(count):
                stages.append(BasicBlock(cin, width, 2 if i > 0 and b == 0 else 1))
                cin = width
        self.blocks = torch.nn.Sequential(*stages)
        self.qpool = ActQuant(unsigned=True)
        self.fc = Linear(cin, 10)
        self.qlogits = ActQuant(unsigned=False)

    def forward(self, x):
        x = self.qstem(F.relu(self.stem(self.qin(x))))
        x = self.blocks(F.max_pool2d(x, 2))
        x = self.qpool(F.adaptive_avg_pool2d(x, 1)).flatten(1)
        return self.qlogits(self.fc(x))


class Attention(torch.nn.Module):
    def __init__(self, dim, heads, tokens):
        super().__init__()
        self.heads, self.tokens, self.dim = heads, tokens, dim
        self.q, self.k, self.v, self.proj = (Linear(dim, dim) for _ in range(4))
        self.qq, self.qk, self.qv = (ActQuant(unsigned=False) for _ in range(3))
        self.qscores = ActQuant(unsigned=False)
        self.qprobs = ActQuant(unsigned=True, fixed_scale=1 / 255)  # the compiler's softmax output scale
        self.qcontext = ActQuant(unsigned=False)
        self.qproj = ActQuant(unsigned=False)

    def forward(self, x):
        # Batch -1: the exported graph's Reshapes carry constant shapes.
        t, h, d = self.tokens, self.heads, self.dim // self.heads
        q = self.qq(self.q(x)).reshape(-1, t, h, d).transpose(1, 2)
        k = self.qk(self.k(x)).reshape(-1, t, h, d).permute(0, 2, 3, 1)
        v = self.qv(self.v(x)).reshape(-1, t, h, d).transpose(1, 2)
        scores = self.qscores(torch.matmul(q, k) * (d ** -0.5))
        probs = self.qprobs(torch.softmax(scores, dim=-1))
        context = self.qcontext(torch.matmul(probs, v)).transpose(1, 2).reshape(-1, t, self.dim)
        return self.qproj(self.proj(context))


class EncoderBlock(torch.nn.Module):
    def __init__(self, dim, heads, mlp, tokens):
        super().__init__()
        self.norm1 = torch.nn.LayerNorm(dim)
        self.qnorm1 = ActQuant(unsigned=False)
        self.attention = Attention(dim, heads, tokens)
        self.qres1 = ActQuant(unsigned=False)
        self.norm2 = torch.nn.LayerNorm(dim)
        self.qnorm2 = ActQuant(unsigned=False)
        self.fc1 = Linear(dim, mlp)
        self.qfc1 = ActQuant(unsigned=False)
        self.qgelu = ActQuant(unsigned=False)
        self.fc2 = Linear(mlp, dim)
        self.qfc2 = ActQuant(unsigned=False)
        self.qres2 = ActQuant(unsigned=False)

    def forward(self, x):
        x = self.qres1(x + self.attention(self.qnorm1(self.norm1(x))))
        y = self.qgelu(F.gelu(self.qfc1(self.fc1(self.qnorm2(self.norm2(x))))))
        return self.qres2(x + self.qfc2(self.fc2(y)))


class ViT(torch.nn.Module):
    def __init__(self, patch, dim, depth, heads, mlp):
        super().__init__()
        self.patch, self.dim = patch, dim
        self.tokens = (28 // patch) ** 2 + 1
        self.qin = ActQuant(unsigned=True, fixed_scale=INPUT_SCALE)
        self.embed = Conv(1, dim, patch, patch, 0, batch_norm=False)
        self.cls = torch.nn.Parameter(torch.randn(1, 1, dim) * 0.02)
        self.qtokens = ActQuant(unsigned=False)
        self.position = torch.nn.Parameter(torch.randn(1, self.tokens, dim) * 0.02)
        self.qpositioned = ActQuant(unsigned=False)
        self.blocks = torch.nn.ModuleList(EncoderBlock(dim, heads, mlp, self.tokens) for _ in range(depth))
        self.norm = torch.nn.LayerNorm(dim)
        self.qnorm = ActQuant(unsigned=False)
        self.head = Linear(dim, 10)
        self.qlogits = ActQuant(unsigned=False)

    def forward(self, images):
        x = self.embed(self.qin(images)).flatten(2).transpose(1, 2)
        # The exported graph (one image) concatenates the class token itself, no Expand.
        cls = self.cls if x.shape[0] == 1 else self.cls.expand(x.shape[0], 1, self.dim)
        x = self.qtokens(torch.cat([cls, x], dim=1))
        x = self.qpositioned(x + self.position)
        for block in self.blocks:
            x = block(x)
        x = self.qnorm(self.norm(x))
        return self.qlogits(self.head(x[:, 0]))


def build(name, config):
    if name == 'resnet':
        return ResNet(config['widths'], config['blocks'])
    if name == 'vit':
        return ViT(config['patch'], config['dim'], config['depth'], config['heads'], config['mlp'])
    raise ValueError(f"unknown model '{name}' (resnet or vit)")


def weight_layers(model):
    """The multiply-accumulate layers in the exported graph's node order."""
    return [m for m in model.modules() if isinstance(m, WeightLayer)]


def prunable(model):
    """Every layer but the first and the last, as the compiler's defaultPrunable chooses
    (sw/net/quantize/sparsity.ts; neither model has a depthwise convolution)."""
    return weight_layers(model)[1:-1]


def act_quants(model):
    return [m for m in model.modules() if isinstance(m, ActQuant)]
