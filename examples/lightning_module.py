"""A LightningModule that clips inside training_step. Under automatic optimization Lightning runs
backward after training_step returns, so this clip never touches the gradients of this step."""
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
        loss = F.cross_entropy(self.model(x), y)
        torch.nn.utils.clip_grad_norm_(self.parameters(), max_norm=1.0)
        self.log("train_loss", loss)
        return loss

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.lr)
