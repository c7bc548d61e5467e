"""The training recipe's entry point, run by `nmsparse train` (sw/train/run.ts):
    /usr/bin/python3 train.py <jobs.json>
jobs.json: {"data": dir, "threads": n, "jobs": [{"model", "nm", "out", "dense", "hash", "config", "hyper"}]}.
Each job trains (dense from scratch; N:M from the dense job's float checkpoint with SR-STE), folds
batch norm, fine-tunes with int8 fake quantization, and writes model.onnx (QDQ, opset 13),
metrics.json and float.pt into its `out` folder. Progress goes to stderr."""
import json
import math
import os
import shutil
import sys
import time
import warnings

import torch

import data
from models import act_quants, build, prunable, weight_layers
from nm import satisfies


def log(job, message):
    print(f"[{job['model']} {job['nm']}] {message}", file=sys.stderr, flush=True)


def pattern_of(nm):
    if nm == 'dense':
        return None
    n, m = (int(p) for p in nm.split(':'))
    return n, m


def evaluate(model, images, labels):
    model.eval()
    correct = 0
    with torch.no_grad():
        for start in range(0, images.shape[0], 500):
            x = data.to_input(images[start:start + 500])
            correct += int((model(x).argmax(1) == labels[start:start + 500]).sum())
    return 100.0 * correct / images.shape[0]


def optimizer_for(model, hyper, lr):
    if hyper['optimizer'] == 'sgd':
        return torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, nesterov=True, weight_decay=hyper['weightDecay'])
    if hyper['optimizer'] == 'adamw':
        return torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=hyper['weightDecay'])
    raise ValueError(f"unknown optimizer {hyper['optimizer']}")


def train_phase(job, phase, model, train_set, test_set, epochs, lr, hyper):
    """Trains for `epochs` (a fraction allowed) with a cosine learning rate from `lr`, warming up
    over the first `warmupSteps`; returns the seconds it took."""
    images, labels = train_set
    batch = hyper['batch']
    per_epoch = math.ceil(images.shape[0] / batch)
    total = max(1, round(epochs * per_epoch)) if hyper.get('maxSteps') is None else hyper['maxSteps']
    optimizer = optimizer_for(model, hyper, lr)
    warmup = min(hyper.get('warmupSteps', 0), total // 4)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: (s + 1) / warmup if s < warmup else 0.5 * (1 + math.cos(math.pi * (s - warmup) / max(1, total - warmup))))
    generator = torch.Generator().manual_seed(hyper['seed'] + hash_phase(phase))
    start = time.time()
    step = 0
    epoch = 0
    while step < total:
        epoch += 1
        model.train()
        seen = correct = 0
        loss_sum = 0.0
        for x, y in data.batches(images, labels, batch, generator, hyper['augment']):
            logits = model(x)
            loss = torch.nn.functional.cross_entropy(logits, y, label_smoothing=hyper.get('labelSmoothing', 0.0))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            schedule.step()
            step += 1
            seen += y.shape[0]
            correct += int((logits.argmax(1) == y).sum())
            loss_sum += float(loss) * y.shape[0]
            if step % 100 == 0:
                log(job, f'{phase} step {step}/{total} loss {loss_sum / seen:.4f} train {100 * correct / seen:.2f}% ({time.time() - start:.0f} s)')
            if step >= total:
                break
        accuracy = evaluate(model, *test_set)
        log(job, f'{phase} epoch {epoch} ({step}/{total} steps) loss {loss_sum / seen:.4f} train {100 * correct / seen:.2f}% test {accuracy:.2f}% ({time.time() - start:.0f} s)')
    return time.time() - start


def hash_phase(phase):
    """A fixed seed offset per phase (Python's hash() of a str is salted per process)."""
    return sum(ord(c) * (i + 1) for i, c in enumerate(phase))


def calibrate(model, train_set, batches):
    """Activation ranges: the largest magnitude over the first batches, then fake quantization on."""
    model.eval()
    quants = act_quants(model)
    for q in quants:
        q.calibrating = True
    images, _ = train_set
    with torch.no_grad():
        for start in range(0, min(batches * 256, images.shape[0]), 256):
            model(data.to_input(images[start:start + 256]))
    for q in quants:
        q.calibrating = False
        q.enabled = True


def export(model, path):
    model.eval()
    for layer in weight_layers(model):
        layer.prepare_export()
    with warnings.catch_warnings():
        # The tracer's notes on Python-side shapes and on the custom DequantizeLinear are expected.
        warnings.simplefilter('ignore')
        torch.onnx.export(model, torch.zeros(1, 1, 28, 28), path, opset_version=13, input_names=['image'], output_names=['logits'], do_constant_folding=True)
    for layer in weight_layers(model):
        layer.exporting = False


def run_job(job, train_set, test_set):
    hyper, pattern = job['hyper'], pattern_of(job['nm'])
    torch.manual_seed(hyper['seed'])
    model = build(job['model'], job['config'])
    # Written beside the final folder and renamed when complete: a folder named `out` is a whole result.
    final = job['out']
    job = dict(job, out=final + '.partial')
    shutil.rmtree(job['out'], ignore_errors=True)
    os.makedirs(job['out'])
    if pattern is None:
        log(job, 'dense training from scratch')
        seconds = train_phase(job, 'dense', model, train_set, test_set, hyper['denseEpochs'], hyper['lr'], hyper)
        epochs = hyper['denseEpochs']
    else:
        model.load_state_dict(torch.load(os.path.join(job['dense'], 'float.pt')))
        for layer in prunable(model):
            layer.sparsify(pattern)
        log(job, f"SR-STE {job['nm']} training of {len(prunable(model))} layers from the dense model")
        seconds = train_phase(job, f"sparse {job['nm']}", model, train_set, test_set, hyper['sparseEpochs'], hyper['sparseLr'], hyper)
        epochs = hyper['sparseEpochs']
        for layer in prunable(model):
            layer.freeze_mask()
    float_top1 = evaluate(model, *test_set)
    log(job, f'float top-1 {float_top1:.2f}%')
    torch.save(model.state_dict(), os.path.join(job['out'], 'float.pt'))

    for layer in weight_layers(model):
        layer.fold_batch_norm()
        layer.quantized = True
    calibrate(model, train_set, hyper['calibrationBatches'])
    seconds += train_phase(job, 'int8 QAT', model, train_set, test_set, hyper['qatEpochs'], hyper['qatLr'], hyper)
    qat_top1 = evaluate(model, *test_set)
    log(job, f'int8 fake-quant top-1 {qat_top1:.2f}%')
    if pattern is not None:
        for layer in prunable(model):
            q, _ = layer.int8_weight()
            if not satisfies(q, *pattern):
                raise AssertionError(f"a {job['nm']} layer's int8 weights lost the pattern")
    export(model, os.path.join(job['out'], 'model.onnx'))
    metrics = {
        'model': job['model'], 'nm': job['nm'], 'floatTop1': float_top1, 'qatTop1': qat_top1,
        'epochs': epochs + hyper['qatEpochs'], 'trainSeconds': round(seconds, 1), 'hash': job['hash'],
        'trainImages': int(train_set[0].shape[0]), 'testImages': int(test_set[0].shape[0]),
    }
    with open(os.path.join(job['out'], 'metrics.json'), 'w') as f:
        json.dump(metrics, f, indent=2)
    os.replace(job['out'], final)
    log(job, f"wrote {os.path.join(final, 'model.onnx')} in {seconds:.0f} s of training")


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: train.py <jobs.json>')
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    torch.set_num_threads(spec['threads'])
    torch.use_deterministic_algorithms(True)
    limits = spec.get('limits', {})
    train_set = data.load(spec['data'], 'train', limits.get('train'))
    test_set = data.load(spec['data'], 'test', limits.get('test'))
    for job in spec['jobs']:
        run_job(job, train_set, test_set)


if __name__ == '__main__':
    main()
