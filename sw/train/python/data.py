"""Fashion-MNIST from its IDX files (gzip), as uint8 tensors, and the fixed-order batches training reads."""
import gzip
import os
import struct

import torch

FILES = {
    'train': ('train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'),
    'test': ('t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'),
}


def _read_idx(path, magic, dims):
    with gzip.open(path, 'rb') as f:
        raw = f.read()
    found, = struct.unpack('>I', raw[:4])
    if found != magic:
        raise ValueError(f'{path}: magic {found:#x}, expected {magic:#x} (not an IDX file of this kind)')
    shape = struct.unpack('>' + 'I' * dims, raw[4:4 + 4 * dims])
    header = 4 + 4 * dims
    data = torch.frombuffer(bytearray(raw[header:]), dtype=torch.uint8)
    if data.numel() != torch.Size(shape).numel():
        raise ValueError(f'{path}: {data.numel()} bytes of data for shape {shape}')
    return data.reshape(shape)


def load(directory, split, limit=None):
    """Images [N, 1, 28, 28] uint8 and labels [N] int64 of one split, the first `limit` if given."""
    images_file, labels_file = FILES[split]
    images = _read_idx(os.path.join(directory, images_file), 0x803, 3)
    labels = _read_idx(os.path.join(directory, labels_file), 0x801, 1)
    if images.shape[0] != labels.shape[0]:
        raise ValueError(f'{directory}: {images.shape[0]} {split} images but {labels.shape[0]} labels')
    if limit is not None:
        images, labels = images[:limit], labels[:limit]
    return images.unsqueeze(1), labels.long()


def to_input(images):
    """The model's input convention: float pixel / 255, no normalisation outside the model."""
    return images.float() / 255.0


def batches(images, labels, batch_size, generator, augment):
    """Shuffled batches in an order fixed by `generator`; with `augment`, a random shift of up to 2
    pixels (zero padding) and a horizontal flip, both drawn from the same generator."""
    order = torch.randperm(images.shape[0], generator=generator)
    for start in range(0, images.shape[0], batch_size):
        index = order[start:start + batch_size]
        x = to_input(images[index])
        if augment:
            x = _augment(x, generator)
        yield x, labels[index]


def _augment(x, generator):
    n = x.shape[0]
    padded = torch.nn.functional.pad(x, (2, 2, 2, 2))
    dy = torch.randint(0, 5, (n,), generator=generator)
    dx = torch.randint(0, 5, (n,), generator=generator)
    rows = (dy[:, None] + torch.arange(28)[None, :])[:, None, :, None].expand(n, 1, 28, 32)
    shifted = torch.gather(padded, 2, rows)
    cols = (dx[:, None] + torch.arange(28)[None, :])[:, None, None, :].expand(n, 1, 28, 28)
    shifted = torch.gather(shifted, 3, cols)
    flip = torch.rand(n, generator=generator) < 0.5
    shifted[flip] = shifted[flip].flip(3)
    return shifted
