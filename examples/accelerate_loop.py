"""Training with Accelerate in fp16. torch's clip_grad_norm_ sees gradients Accelerate has not
unscaled yet; accelerator.clip_grad_norm_ unscales them first."""
import torch
from accelerate import Accelerator


def train(model, optimizer, loader, epochs=1):
    accelerator = Accelerator(mixed_precision="fp16")
    model, optimizer, loader = accelerator.prepare(model, optimizer, loader)
    for epoch in range(epochs):
        for batch in loader:
            outputs = model(**batch)
            accelerator.backward(outputs.loss)
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            optimizer.zero_grad()
