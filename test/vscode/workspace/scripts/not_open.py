# Under a GradScaler, the clip sees scaled gradients; the deprecated spelling warns too.
# expect: CLP003 and CLP006 on the clip line (which already carries a noqa comment)
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
scaler = torch.cuda.amp.GradScaler()


def train(batches):
    for x in batches:
        optimizer.zero_grad()
        loss = model(x).sum()
        scaler.scale(loss).backward()
        torch.nn.utils.clip_grad_norm(model.parameters(), 1.0)  # noqa: E501
        scaler.step(optimizer)
        scaler.update()
