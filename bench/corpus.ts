// A 10,000-line PyTorch-style Python module for the analysis benchmarks, generated from
// templates the way a large research codebase reads: model blocks, data and config utilities,
// metrics, and here and there a training loop (some correct, some with clipping mistakes).
// Deterministic, so runs compare.

const MODEL = (i: number) => `
class Block${i}(nn.Module):
    """Residual block ${i}: norm, attention, norm, MLP."""

    def __init__(self, dim=${64 + (i % 8) * 32}, heads=${2 + (i % 4)}, dropout=0.${i % 3}):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim), nn.Dropout(dropout))
        self.scale = math.sqrt(dim)

    def forward(self, x, mask=None):
        h = self.norm1(x)
        attn_out, _ = self.attn(h, h, h, attn_mask=mask, need_weights=False)
        x = x + attn_out
        x = x + self.mlp(self.norm2(x))
        return x

    def extra_repr(self):
        return f"dim={self.norm1.normalized_shape[0]}, scale={self.scale:.3f}"
`;

const DATA = (i: number) => `
class Dataset${i}(torch.utils.data.Dataset):
    def __init__(self, root, split="train", transform=None, max_items=${1000 * (i + 1)}):
        self.root = root
        self.split = split
        self.transform = transform
        self.items = sorted(os.listdir(os.path.join(root, split)))[:max_items]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, index):
        path = os.path.join(self.root, self.split, self.items[index])
        with open(path, "rb") as handle:
            sample = pickle.load(handle)
        if self.transform is not None:
            sample = self.transform(sample)
        return sample["input"], sample["target"]


def make_loader_${i}(root, batch_size=${16 * ((i % 4) + 1)}, workers=4, shuffle=True):
    dataset = Dataset${i}(root)
    return torch.utils.data.DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, num_workers=workers, pin_memory=True)
`;

const UTIL = (i: number) => `
def parse_config_${i}(path, overrides=None):
    """Reads a YAML config and applies dotted overrides like "optim.lr=3e-4"."""
    with open(path) as handle:
        config = yaml.safe_load(handle) or {}
    for item in overrides or []:
        key, _, value = item.partition("=")
        node = config
        *parents, leaf = key.split(".")
        for parent in parents:
            node = node.setdefault(parent, {})
        try:
            node[leaf] = json.loads(value)
        except json.JSONDecodeError:
            node[leaf] = value
    return config


class AverageMeter${i}:
    def __init__(self, name, fmt=":f"):
        self.name = name
        self.fmt = fmt
        self.reset()

    def reset(self):
        self.val = self.avg = self.sum = self.count = 0

    def update(self, val, n=1):
        self.val = val
        self.sum += val * n
        self.count += n
        self.avg = self.sum / max(self.count, 1)


def accuracy_${i}(output, target, topk=(1,)):
    with torch.no_grad():
        maxk = max(topk)
        _, pred = output.topk(maxk, 1, True, True)
        correct = pred.t().eq(target.view(1, -1).expand_as(pred.t()))
        return [correct[:k].reshape(-1).float().sum(0) * 100.0 / target.size(0) for k in topk]
`;

const TRAIN_CORRECT = (i: number) => `
def train_epoch_${i}(model, loader, optimizer, scaler, args, epoch):
    model.train()
    meter = AverageMeter${i}("loss")
    for step, (inputs, targets) in enumerate(loader):
        inputs, targets = inputs.cuda(non_blocking=True), targets.cuda(non_blocking=True)
        with torch.autocast("cuda", dtype=torch.float16, enabled=args.amp):
            loss = F.cross_entropy(model(inputs), targets) / args.accum_steps
        scaler.scale(loss).backward()
        if (step + 1) % args.accum_steps == 0:
            if args.clip_grad:
                scaler.unscale_(optimizer)
                torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip_grad)
            scaler.step(optimizer)
            scaler.update()
            optimizer.zero_grad(set_to_none=True)
        meter.update(loss.item() * args.accum_steps, inputs.size(0))
        if step % args.log_interval == 0:
            logger.info("epoch %d step %d loss %.4f", epoch, step, meter.avg)
    return meter.avg
`;

const TRAIN_BUGGY = (i: number) => `
def finetune_${i}(model, loader, epochs=3, lr=1e-4, max_norm=1.0):
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs * len(loader))
    for epoch in range(epochs):
        for batch in loader:
            optimizer.zero_grad()
            loss = model(**batch).loss
            loss.backward()
            optimizer.step()
            torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
            scheduler.step()
    return model
`;

const HEADER = `"""A large research module: models, data, utilities and training loops."""
import json
import logging
import math
import os
import pickle

import torch
import torch.nn as nn
import torch.nn.functional as F
import yaml

logger = logging.getLogger(__name__)
`;

/**
 * Exactly `lines` lines of complete, syntactically valid Python: whole template pieces, then an
 * `__all__` list to make up the count (a file cut mid-definition would have a syntax error, and a
 * linter that stops at syntax errors would not be doing its whole check).
 */
export function pythonCorpus(lines = 10_000): string {
  const parts = [HEADER];
  const names: string[] = [];
  let count = HEADER.split('\n').length - 1;
  for (let i = 0; ; i++) {
    const piece = [MODEL, DATA, UTIL][i % 3](i) + (i % 12 === 5 ? TRAIN_CORRECT(i) : '') + (i % 24 === 11 ? TRAIN_BUGGY(i) : '');
    const pieceLines = piece.split('\n').length - 1;
    if (count + pieceLines + 3 > lines) break;
    parts.push(piece);
    names.push(...[...piece.matchAll(/^(?:class|def) (\w+)/gm)].map((m) => m[1]));
    count += pieceLines;
  }
  const rest = lines - count;
  const filler = rest >= 3 ? ['', '__all__ = [', ...names.slice(0, rest - 3).map((name) => `    "${name}",`), ']'] : [];
  while (filler.length < rest) filler.unshift('');
  return parts.join('') + filler.map((line) => line + '\n').join('');
}
