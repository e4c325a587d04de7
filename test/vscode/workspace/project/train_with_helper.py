import torch
from clipping import clip_model


def train(model, loader, optimizer):
    for batch in loader:
        model(batch).backward()
        optimizer.step()
        clip_model(model)
        optimizer.zero_grad()
