#!/usr/bin/python3
"""Writes golden.safetensors and golden.json for the Go safetensors reader.

    /usr/bin/python3 internal/safetensors/testdata/gen_golden.py

Debian has no python3-safetensors, so the file is written by the small writer
below, which follows the format spec: an 8-byte little-endian header length N,
N bytes of JSON ({"__metadata__": {...}, name: {"dtype", "shape",
"data_offsets": [begin, end)}}, names sorted, offsets relative to the first
byte after the header, padded with spaces to a multiple of 8), then the raw
little-endian tensor bytes in header order.

golden.json holds, per tensor, the dtype, the shape and the value of every
element after PyTorch's conversion to float32 (tensor.float()), as uint32 bit
patterns, so the Go F16/BF16/F64 conversions are checked bit for bit (NaN:
any NaN). Special values cover signed zeros, subnormals, the largest finite
values, infinities, NaN, and F64 values that overflow or underflow float32.
"""

import json
import os
import struct
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64",
          torch.int64: "I64"}


def tensor_bytes(t):
    assert sys.byteorder == "little"
    t = t.contiguous()
    if t.dtype == torch.bfloat16:
        t = t.view(torch.int16)
    return t.numpy().tobytes()


def write_safetensors(path, tensors, metadata):
    header = {"__metadata__": dict(sorted(metadata.items()))}
    chunks, off = [], 0
    for name in sorted(tensors):
        t = tensors[name]
        b = tensor_bytes(t)
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
        chunks.append(b)
        off += len(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(chunks))


def main():
    torch.manual_seed(7)
    inf, nan = float("inf"), float("nan")
    special16 = [0.0, -0.0, 1.0, -2.5, 65504.0, -65504.0, 2.0 ** -24, -(2.0 ** -24), 6.103515625e-05,
                 3.0e-6, inf, -inf, nan, 0.333333, 1234.5, -0.1]
    special_bf = [0.0, -0.0, 1.0, -2.5, 3.3895313892515355e38, 1e-40, -1e-40, 1.1754943508222875e-38,
                  inf, -inf, nan, 0.333333, 1e10, -7.0e-3, 123.456, 2.0 ** -133]
    tensors = {
        "f16": torch.tensor(special16, dtype=torch.float16).reshape(4, 4),
        "bf16": torch.tensor(special_bf, dtype=torch.float32).to(torch.bfloat16).reshape(2, 2, 4),
        "f32": torch.tensor([0.0, -0.0, 1e-40, -3.4028234663852886e38, inf, nan], dtype=torch.float32).reshape(2, 3),
        "f64": torch.tensor([1.0 / 3.0, 1e300, -1e300, 1e-310, -2.5, 0.1], dtype=torch.float64),
        "f16_random": torch.randn(3, 5).to(torch.float16),
        "bf16_random": torch.randn(5, 3).to(torch.bfloat16),
        "i64": torch.tensor([1, -2, 3], dtype=torch.int64),
        "scalar": torch.tensor(7.25, dtype=torch.float32),
        "empty": torch.zeros(0, 3, dtype=torch.float32),
    }
    write_safetensors(os.path.join(HERE, "golden.safetensors"), tensors,
                      {"format": "pt", "producer": "gen_golden.py"})
    golden = {
        "source": "internal/safetensors/testdata/gen_golden.py, PyTorch %s" % torch.__version__,
        "tolerance": "exact float32 bits; any NaN matches NaN",
        "metadata": {"format": "pt", "producer": "gen_golden.py"},
        "tensors": {},
    }
    for name, t in sorted(tensors.items()):
        entry = {"dtype": DTYPES[t.dtype], "shape": list(t.shape)}
        if t.dtype.is_floating_point:
            entry["f32_bits"] = [b & 0xFFFFFFFF for b in t.float().reshape(-1).view(torch.int32).tolist()]
        golden["tensors"][name] = entry
    with open(os.path.join(HERE, "golden.json"), "w") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
