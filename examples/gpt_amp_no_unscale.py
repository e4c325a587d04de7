"""A GPT-style training loop with mixed precision. The clip sees gradients still multiplied by the
loss scale, because scaler.unscale_(optimizer) is missing."""
import math

import torch
from torch.nn import functional as F

from model import GPT, GPTConfig  # the project's own model

batch_size, block_size, max_iters = 12, 1024, 5000
learning_rate, grad_clip = 6e-4, 1.0
device = "cuda"

model = GPT(GPTConfig()).to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=learning_rate, betas=(0.9, 0.95), weight_decay=0.1)
scaler = torch.cuda.amp.GradScaler(enabled=True)
ctx = torch.autocast(device_type="cuda", dtype=torch.float16)


def get_batch():
    data = torch.randint(50257, (batch_size, block_size + 1), device=device)
    return data[:, :-1], data[:, 1:]


def get_lr(it):
    return learning_rate * 0.5 * (1.0 + math.cos(math.pi * it / max_iters))


for iter_num in range(max_iters):
    for group in optimizer.param_groups:
        group["lr"] = get_lr(iter_num)
    X, Y = get_batch()
    with ctx:
        logits = model(X)
        loss = F.cross_entropy(logits.view(-1, logits.size(-1)), Y.view(-1))
    scaler.scale(loss).backward()
    if grad_clip != 0.0:
        torch.nn.utils.clip_grad_norm_(model.parameters(), grad_clip)
    scaler.step(optimizer)
    scaler.update()
    optimizer.zero_grad(set_to_none=True)
