"""A character-level RNN. The clip runs before loss.backward(), so the exploding gradients of the
current batch are never clipped."""
import torch
import torch.nn as nn


class CharRNN(nn.Module):
    def __init__(self, vocab, hidden=128):
        super().__init__()
        self.embed = nn.Embedding(vocab, hidden)
        self.rnn = nn.RNN(hidden, hidden, batch_first=True)
        self.head = nn.Linear(hidden, vocab)

    def forward(self, x):
        out, _ = self.rnn(self.embed(x))
        return self.head(out)


def train(model, batches, epochs=10, clip=0.25):
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=20.0)
    for epoch in range(epochs):
        for inputs, targets in batches:
            optimizer.zero_grad()
            nn.utils.clip_grad_norm_(model.parameters(), clip)
            output = model(inputs)
            loss = criterion(output.view(-1, output.size(-1)), targets.view(-1))
            loss.backward()
            optimizer.step()
