"""LoRA fine-tuning. The trainable parameters are a filter() iterator: the optimizer consumes it,
so the clip later receives an empty iterator and clips nothing."""
import torch
from diffusers import UNet2DConditionModel


def train(unet: UNet2DConditionModel, loader, max_grad_norm=1.0):
    lora_layers = filter(lambda p: p.requires_grad, unet.parameters())
    optimizer = torch.optim.AdamW(lora_layers, lr=1e-4)
    for batch in loader:
        loss = unet(batch["latents"], batch["timesteps"], batch["encoder_hidden_states"]).sample.pow(2).mean()
        loss.backward()
        params_to_clip = lora_layers
        torch.nn.utils.clip_grad_norm_(params_to_clip, max_grad_norm)
        optimizer.step()
        optimizer.zero_grad()
