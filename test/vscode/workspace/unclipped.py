# A correct loop with no clipping at all: nothing to report, but clipping can be added.
# expect: no findings; "Add gradient clipping" on both steps, with unscale_ under the scaler
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scaler = torch.cuda.amp.GradScaler()


def train(batches):
    for x in batches:
        optimizer.zero_grad()
        model(x).sum().backward()
        optimizer.step()


def train_amp(batches):
    for x in batches:
        optimizer.zero_grad()
        scaler.scale(model(x).sum()).backward()
        scaler.step(optimizer)
        scaler.update()
