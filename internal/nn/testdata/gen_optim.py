"""Reference optimiser trajectories for internal/nn (torch.optim.Adam / AdamW,
clip_grad_norm_, a linear warm-up/decay schedule as in HF transformers'
get_linear_schedule_with_warmup, re-implemented with LambdaLR).

Run: /usr/bin/python3 internal/nn/testdata/gen_optim.py > internal/nn/testdata/optim.json
"""
import json

import torch

torch.set_num_threads(2)


def run(kind, lr, wd, clip, warmup, total, steps=4):
    g = torch.Generator().manual_seed(0)
    w = torch.randn(3, 4, generator=g)
    b = torch.randn(4, generator=g)
    start = {"w": w.flatten().tolist(), "b": b.tolist()}
    w.requires_grad_(True)
    b.requires_grad_(True)
    groups = [{"params": [w], "weight_decay": wd}, {"params": [b], "weight_decay": 0.0}]
    opt = (torch.optim.AdamW if kind == "adamw" else torch.optim.Adam)(groups, lr=lr)
    lam = lambda s: s / max(1, warmup) if s < warmup else max(0.0, (total - s) / max(1, total - warmup))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lam) if total else None
    grads, norms = [], []
    for s in range(steps):
        gw = torch.randn(3, 4, generator=g) * (s + 1)
        gb = torch.randn(4, generator=g)
        grads.append({"w": gw.flatten().tolist(), "b": gb.tolist()})
        w.grad, b.grad = gw.clone(), gb.clone()
        norms.append(float(torch.nn.utils.clip_grad_norm_([w, b], clip if clip else float("inf"))))
        opt.step()
        if sched:
            sched.step()
    return {"kind": kind, "lr": lr, "weight_decay": wd, "clip": clip, "warmup": warmup, "total": total,
            "start": start, "grads": grads, "norms": norms,
            "end": {"w": w.detach().flatten().tolist(), "b": b.detach().tolist()}}


cases = [
    run("adam", 1e-2, 0.0, 0.0, 0, 0),
    run("adam", 1e-2, 0.1, 0.0, 0, 0),
    run("adamw", 1e-2, 0.1, 0.0, 0, 0),
    run("adamw", 1e-2, 0.01, 1.0, 2, 6),
]
print(json.dumps({"torch": torch.__version__, "cases": cases}))
