#!/usr/bin/python3
"""W11 peer: a character-level LSTM language model trained on the CPU with Adam, as a PyTorch user writes one.

Corpus, tokens and batches: exactly W10's (shared/bench/torch_gpt.py): the bytes of /usr/share/common-licenses/GPL-3
(or the 4th argument) decoded as strict UTF-8, vocab = sorted(set(text)) (V = 76 for GPL-3), data = each character's
index in vocab; T = 64, B = 32; batches drawn before the loop from np.random.RandomState(1), per step
ix = rs.randint(0, len(data) - T - 1, size=B, dtype=np.int64), x[b] = data[ix[b] : ix[b] + T], y[b] = the same
window shifted by one.

Model: nn.Embedding(V, 256) -> nn.LSTM(256, 256, num_layers=2, batch_first=True) (zero initial states) ->
nn.Linear(256, V); loss = F.cross_entropy over all B*T positions (mean).

Initial weights (legacy NumPy MT19937, so a C# port reproduces them exactly): rs = np.random.RandomState(0); in the
order of model.named_parameters() (embedding.weight, lstm.weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, the same
for l1, head.weight [V, 256], head.bias [V]): the embedding rs.normal(0.0, 1.0, size=shape) (PyTorch's N(0, 1) for
Embedding), every other parameter rs.uniform(-1/16, 1/16, size=shape) (1/16 = 1/sqrt(256), PyTorch's bound for both
LSTM and this Linear); drawn in float64, C order, cast to the run dtype.

Optimizer: torch.optim.Adam(lr=2e-3) (betas (0.9, 0.999), eps 1e-8, no weight decay), no clipping.
Each step: zero the gradients (set_to_none), loss.backward(), opt.step().

Run: steps 1-10 are warm-up (untimed); steps 11..steps are timed (forward + backward + step).
Usage: torch_lstm.py [float32|float64] [threads] [steps] [corpus]   (default float32 2 60 GPL-3;
       run with OMP_WAIT_POLICY=passive)
Prints the loss of step 1, of every 10th step and of the last step (%.17g), then
  RESULT name=torch_lstm dtype=... threads=... seconds=<timed part> tokens_per_s=<B*T*(steps-10)/seconds>
         loss_first=<step 1> loss_last=<last step> params=<count> omp_wait_policy=... peak_rss_mb=..."""
import os
import resource
import sys
import time


def _shared_bench():
    """shared/bench beside the repository (NABLA_PEERS, else the first one found walking up), for peer_blas."""
    if os.environ.get("NABLA_PEERS"):
        return os.environ["NABLA_PEERS"]
    d = os.path.dirname(os.path.abspath(__file__))
    while d != os.path.dirname(d):
        if os.path.isfile(os.path.join(d, "shared", "bench", "peer_blas.py")):
            return os.path.join(d, "shared", "bench")
        d = os.path.dirname(d)
    sys.exit("peer_blas.py not found: shared/bench must sit beside the repository (or set NABLA_PEERS=DIR)")


sys.path.insert(0, _shared_bench())
import peer_blas  # noqa: E402,F401  (before numpy/torch: OpenBLAS picks its own kernel)
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

T, B, EMBED, HIDDEN, LAYERS = 64, 32, 256, 256, 2
LR = 2e-3
WARMUP = 10
CORPUS = "/usr/share/common-licenses/GPL-3"


def load_corpus(path):
    text = open(path, "rb").read().decode("utf-8")
    vocab = sorted(set(text))
    stoi = {c: i for i, c in enumerate(vocab)}
    return np.array([stoi[c] for c in text], dtype=np.int64), len(vocab)


def make_batches(data, steps):
    rs = np.random.RandomState(1)
    xs, ys = [], []
    for _ in range(steps):
        ix = rs.randint(0, len(data) - T - 1, size=B, dtype=np.int64)
        xs.append(np.stack([data[i:i + T] for i in ix]))
        ys.append(np.stack([data[i + 1:i + T + 1] for i in ix]))
    return torch.from_numpy(np.stack(xs)), torch.from_numpy(np.stack(ys))


class CharLstm(torch.nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.embedding = torch.nn.Embedding(vocab, EMBED)
        self.lstm = torch.nn.LSTM(EMBED, HIDDEN, num_layers=LAYERS, batch_first=True)
        self.head = torch.nn.Linear(HIDDEN, vocab)

    def forward(self, idx, targets):
        out, _ = self.lstm(self.embedding(idx))
        logits = self.head(out)
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))


def initialise(model, dtype):
    rs = np.random.RandomState(0)
    bound = 1.0 / HIDDEN ** 0.5
    with torch.no_grad():
        for name, p in model.named_parameters():
            shape = tuple(p.shape)
            values = rs.normal(0.0, 1.0, size=shape) if name == "embedding.weight" else rs.uniform(-bound, bound, size=shape)
            p.copy_(torch.from_numpy(values).to(dtype))


def main():
    dtype_name = sys.argv[1] if len(sys.argv) > 1 else "float32"
    dtype = {"float32": torch.float32, "float64": torch.float64}[dtype_name]
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    steps = int(sys.argv[3]) if len(sys.argv) > 3 else 60
    corpus = sys.argv[4] if len(sys.argv) > 4 else CORPUS
    if steps <= WARMUP:
        sys.exit("steps must be more than %d (the warm-up)" % WARMUP)
    torch.set_num_threads(threads)

    data, vocab = load_corpus(corpus)
    xs, ys = make_batches(data, steps)
    model = CharLstm(vocab).to(dtype)
    initialise(model, dtype)
    n_params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.Adam(model.parameters(), lr=LR)

    losses = []
    t0 = None
    for s in range(steps):
        if s == WARMUP:
            t0 = time.perf_counter()
        loss = model(xs[s], ys[s])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        losses.append(loss.detach())
    seconds = time.perf_counter() - t0
    losses = [l.item() for l in losses]

    for s in range(1, steps + 1):
        if s == 1 or s % 10 == 0 or s == steps:
            print("step %d loss %.17g" % (s, losses[s - 1]))
    print("RESULT name=torch_lstm dtype=%s threads=%d seconds=%.3f tokens_per_s=%.0f loss_first=%.9g loss_last=%.9g "
          "params=%d omp_wait_policy=%s peak_rss_mb=%.0f"
          % (dtype_name, torch.get_num_threads(), seconds, B * T * (steps - WARMUP) / seconds, losses[0], losses[-1],
             n_params, os.environ.get("OMP_WAIT_POLICY", "default"), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


if __name__ == "__main__":
    main()
