"""Mixed precision with gradient accumulation, as nanoGPT does it: unscale_, then clip, then step."""
import torch


def train(model, optimizer, get_batch, max_iters, grad_clip=1.0, gradient_accumulation_steps=4):
    scaler = torch.cuda.amp.GradScaler()
    ctx = torch.autocast(device_type="cuda", dtype=torch.float16)
    X, Y = get_batch("train")
    for iter_num in range(max_iters):
        for micro_step in range(gradient_accumulation_steps):
            with ctx:
                logits, loss = model(X, Y)
                loss = loss / gradient_accumulation_steps
            X, Y = get_batch("train")
            scaler.scale(loss).backward()
        if grad_clip != 0.0:
            scaler.unscale_(optimizer)
            torch.nn.utils.clip_grad_norm_(model.parameters(), grad_clip)
        scaler.step(optimizer)
        scaler.update()
        optimizer.zero_grad(set_to_none=True)
