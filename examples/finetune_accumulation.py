"""Fine-tune a classifier with gradient accumulation. The clip runs on every micro-batch, so it
clips partial sums instead of the gradient the step applies."""
import torch
from torch.utils.data import DataLoader
from transformers import AutoModelForSequenceClassification, get_linear_schedule_with_warmup


def train(dataset, epochs=3, accumulation_steps=8, max_grad_norm=1.0):
    model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased", num_labels=2)
    loader = DataLoader(dataset, batch_size=4, shuffle=True)
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5)
    scheduler = get_linear_schedule_with_warmup(optimizer, 100, len(loader) * epochs // accumulation_steps)
    model.train()
    for epoch in range(epochs):
        for step, batch in enumerate(loader):
            outputs = model(**batch)
            loss = outputs.loss / accumulation_steps
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), max_grad_norm)
            if (step + 1) % accumulation_steps == 0:
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad()
    return model
