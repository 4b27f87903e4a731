"""W9 peer: a plain PyTorch training loop of the size `nabla train` runs by default on a tiny table.

The table is the one Nabla's `trainer` workload writes (make_rows: 150 rows, 4 features from sines and cosines of
the row index, 3 classes). 20 % of the rows are held out (a seeded permutation), features are standardised with
the training rows' mean and standard deviation, then an MLP 4-16-16-3 (ReLU) is trained with cross-entropy and
Adam (lr 0.01), batch 32, 100 epochs: a shuffle per epoch, each batch's loss read as a number (as a trainer
checks it for divergence), and a validation pass (loss and accuracy) after every epoch. Only the epochs are timed.
The split differs from Nabla's generator, so losses are comparable in size, not digit for digit.
Prints `RESULT name=torch_trainer seconds=... ms_per_epoch=...`.
"""
import math
import time

import torch

ROWS, EPOCHS, BATCH = 150, 100, 32


def make_rows():
    xs, ys = [], []
    for i in range(ROWS):
        a = math.sin(0.37 * i) * 2 + 5
        b = math.cos(0.53 * i) + 3
        c = math.sin(0.11 * i + 1) * 3 + 4
        d = math.cos(0.29 * i) * 0.5 + 1
        a, b, c, d = (round(v, 4) for v in (a, b, c, d))
        label = 0 if (a - 5) + (c - 4) / 3 > 0.3 else 1 if (b - 3) > 0 else 2
        xs.append([a, b, c, d])
        ys.append(label)
    return torch.tensor(xs, dtype=torch.float32), torch.tensor(ys)


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    x, y = make_rows()
    perm = torch.randperm(ROWS)
    n_val = int(round(ROWS * 0.2))
    val, train = perm[:n_val], perm[n_val:]
    mean, std = x[train].mean(0), x[train].std(0)
    x = (x - mean) / std
    xt, yt, xv, yv = x[train], y[train], x[val], y[val]
    model = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.ReLU(), torch.nn.Linear(16, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3))
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    loss_fn = torch.nn.CrossEntropyLoss()
    t0 = time.perf_counter()
    first = None
    for epoch in range(EPOCHS):
        model.train()
        order = torch.randperm(len(xt))
        total = 0.0
        for s in range(0, len(xt), BATCH):
            idx = order[s:s + BATCH]
            opt.zero_grad()
            loss = loss_fn(model(xt[idx]), yt[idx])
            value = loss.item()
            if not math.isfinite(value):
                raise SystemExit("diverged")
            loss.backward()
            opt.step()
            total += value * len(idx)
        model.eval()
        with torch.no_grad():
            out = model(xv)
            val_loss = loss_fn(out, yv).item()
            val_acc = (out.argmax(1) == yv).float().mean().item()
        if first is None:
            first = time.perf_counter() - t0
    seconds = time.perf_counter() - t0
    print(f"RESULT name=torch_trainer seconds={seconds:.4f} ms_per_epoch={(seconds - first) / (EPOCHS - 1) * 1e3:.3f} "
          f"loss={total / len(xt):.6g} validation_loss={val_loss:.6g} validation_accuracy={val_acc:.4f}")


if __name__ == "__main__":
    main()
