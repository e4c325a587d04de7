"""Gradient accumulation with Accelerate: clip only when the gradients are synchronised."""
from accelerate import Accelerator


def train(model, optimizer, lr_scheduler, loader, max_grad_norm=1.0):
    accelerator = Accelerator(gradient_accumulation_steps=8, mixed_precision="bf16")
    model, optimizer, loader, lr_scheduler = accelerator.prepare(model, optimizer, loader, lr_scheduler)
    for batch in loader:
        with accelerator.accumulate(model):
            loss = model(**batch).loss
            accelerator.backward(loss)
            if accelerator.sync_gradients:
                accelerator.clip_grad_norm_(model.parameters(), max_grad_norm)
            optimizer.step()
            lr_scheduler.step()
            optimizer.zero_grad()
