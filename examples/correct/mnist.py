"""The MNIST loop done right: backward, clip, step, then clear the gradients."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def train(model: nn.Module, loader, epochs=3, max_norm=1.0):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
    for epoch in range(epochs):
        for images, labels in loader:
            loss = F.cross_entropy(model(images), labels)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=max_norm)
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
