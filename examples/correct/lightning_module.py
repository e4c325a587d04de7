"""Lightning clips for you: set gradient_clip_val on the Trainer instead of clipping in training_step."""
import lightning as L
import torch
import torch.nn.functional as F


class LitClassifier(L.LightningModule):
    def __init__(self, model, lr=1e-3):
        super().__init__()
        self.model = model
        self.lr = lr

    def training_step(self, batch, batch_idx):
        x, y = batch
        return F.cross_entropy(self.model(x), y)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.lr)


def fit(model, loader):
    trainer = L.Trainer(max_epochs=3, gradient_clip_val=1.0, gradient_clip_algorithm="norm")
    trainer.fit(LitClassifier(model), loader)
