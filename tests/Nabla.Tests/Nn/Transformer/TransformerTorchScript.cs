using Nabla.Tests.Training;

namespace Nabla.Tests.Nn.Transformer;

/// <summary>
/// The PyTorch side of <see cref="TransformerTorchTests"/>: for each case it builds torch's module (nn.MultiheadAttention,
/// nn.TransformerEncoderLayer, or a nanoGPT-shaped Block/GPT written here), loads Nabla's file strictly (re-tying as a
/// PyTorch user does from the file's metadata), runs forward and backward with the upstream gradient cos(0, 1, 2, …),
/// prints outputs and gradients, and saves a torch-initialised module of the same shape for the way back.
/// </summary>
internal static class TransformerTorchScript
{
    public const string Text = Python.SafetensorsFunctions + """
        import math
        import torch.nn as nn
        import torch.nn.functional as F

        def metadata(path):
            raw = open(path, "rb").read()
            (n,) = struct.unpack("<Q", raw[:8])
            return json.loads(raw[8:8 + n]).get("__metadata__", {})

        class LayerNorm(nn.Module):
            def __init__(self, n, bias):
                super().__init__()
                self.weight = nn.Parameter(torch.ones(n))
                self.bias = nn.Parameter(torch.zeros(n)) if bias else None
            def forward(self, x):
                return F.layer_norm(x, self.weight.shape, self.weight, self.bias, 1e-5)

        class CausalSelfAttention(nn.Module):
            def __init__(self, c, heads, bias):
                super().__init__()
                self.c_attn = nn.Linear(c, 3 * c, bias=bias)
                self.c_proj = nn.Linear(c, c, bias=bias)
                self.heads = heads
            def forward(self, x):
                b, t, c = x.shape
                q, k, v = [z.view(b, t, self.heads, c // self.heads).transpose(1, 2) for z in self.c_attn(x).split(c, dim=2)]
                scores = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(c // self.heads))
                scores = scores.masked_fill(torch.ones(t, t, dtype=torch.bool).triu(1), float("-inf"))
                return self.c_proj((scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, c))

        class MLP(nn.Module):
            def __init__(self, c, bias):
                super().__init__()
                self.c_fc = nn.Linear(c, 4 * c, bias=bias)
                self.c_proj = nn.Linear(4 * c, c, bias=bias)
            def forward(self, x):
                return self.c_proj(F.gelu(self.c_fc(x)))

        class Block(nn.Module):
            def __init__(self, c, heads, bias):
                super().__init__()
                self.ln_1, self.attn = LayerNorm(c, bias), CausalSelfAttention(c, heads, bias)
                self.ln_2, self.mlp = LayerNorm(c, bias), MLP(c, bias)
            def forward(self, x):
                x = x + self.attn(self.ln_1(x))
                return x + self.mlp(self.ln_2(x))

        class GPT(nn.Module):
            def __init__(self, vocab, block, layers, heads, c, bias):
                super().__init__()
                self.transformer = nn.ModuleDict(dict(wte=nn.Embedding(vocab, c), wpe=nn.Embedding(block, c), drop=nn.Dropout(0.0),
                    h=nn.ModuleList([Block(c, heads, bias) for _ in range(layers)]), ln_f=LayerNorm(c, bias)))
                self.lm_head = nn.Linear(c, vocab, bias=False)
                self.lm_head.weight = self.transformer.wte.weight
            def forward(self, idx):
                x = self.transformer.wte(idx) + self.transformer.wpe(torch.arange(idx.shape[1]))
                for block in self.transformer.h:
                    x = block(x)
                return self.lm_head(self.transformer.ln_f(x))

        def build(case):
            a = case["args"]
            if case["kind"] == "mha":
                return nn.MultiheadAttention(a["e"], a["h"], bias=a["bias"], batch_first=a["bf"])
            if case["kind"] == "tel":
                return nn.TransformerEncoderLayer(a["e"], a["h"], dim_feedforward=a["ff"], dropout=0.0, activation=a["act"],
                                                  batch_first=a["bf"], norm_first=a["nf"])
            if case["kind"] == "block":
                return Block(a["e"], a["h"], a["bias"])
            return GPT(a["vocab"], a["block"], a["layers"], a["h"], a["e"], a["bias"])

        def tensor(t):
            return torch.tensor(t["data"], dtype=torch.float64).reshape(t["shape"])

        def run(case, model, xs):
            a = case["args"]
            kind = case["kind"]
            masks = {k: tensor(v) for k, v in case["masks"].items()}
            def mask(name):
                if name not in masks: return None
                m = masks[name]
                return m if a.get("additive") else m != 0
            weights = None
            if kind == "mha":
                attn_mask = mask("attn")
                if a.get("causal"):
                    L, S = (xs[0].shape[1], xs[-1].shape[1]) if a["bf"] else (xs[0].shape[0], xs[-1].shape[0])
                    attn_mask = torch.ones(L, S, dtype=torch.bool).triu(1)
                k, v = (xs[0], xs[0]) if len(xs) == 1 else (xs[1], xs[2])
                y, weights = model(xs[0], k, v, key_padding_mask=mask("padding"), attn_mask=attn_mask, need_weights=a["weights"])
            elif kind == "tel":
                src_mask = None
                if a.get("causal"):
                    S = xs[0].shape[1] if a["bf"] else xs[0].shape[0]
                    src_mask = torch.ones(S, S, dtype=torch.bool).triu(1)
                y = model(xs[0], src_mask=src_mask, src_key_padding_mask=mask("padding"))
            elif kind == "block":
                y = model(xs[0])
            else:
                y = model(torch.tensor(case["ids"]["data"]).reshape(case["ids"]["shape"]))
            return y, weights

        results = []
        for i, case in enumerate(json.load(open(sys.argv[1]))):
            path = case["file"]
            model = build(case).double().train()
            state = load(path)
            for dropped, kept in metadata(path).items():
                assert dropped not in state, dropped
                state[dropped] = state[kept]
            model.load_state_dict(state, strict=True)
            if case["kind"] == "gpt":
                assert model.lm_head.weight is model.transformer.wte.weight
            xs = [tensor(t).requires_grad_() for t in case["inputs"]]
            y, weights = run(case, model, xs)
            g = torch.cos(torch.arange(y.numel(), dtype=torch.float64)).reshape(y.shape)
            y.backward(g)
            r = {"keys": list(model.state_dict().keys()), "out": y.detach().flatten().tolist(),
                 "input_grads": [x.grad.flatten().tolist() for x in xs],
                 "param_grads": {n: p.grad.flatten().tolist() for n, p in model.named_parameters()}}
            if weights is not None:
                r["weights"] = weights.detach().flatten().tolist()
            torch.manual_seed(i)
            fresh = build(case).double().train()
            save(case["back"], fresh.state_dict())
            with torch.no_grad():
                r["back_out"] = run(case, fresh, [x.detach() for x in xs])[0].flatten().tolist()
            results.append(r)
        print(json.dumps(results))
        """;
}
