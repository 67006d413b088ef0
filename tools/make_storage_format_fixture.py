#!/usr/bin/env python3
"""Writes test-data/storage-format-f16.txt: numpy's float32 -> float16 conversion (round to nearest even) of
307,200 generated float32 values, as one SHA-256 per block of 4096 results, for StorageFormatTest.

Run from the repository root with a Python that has numpy (checked with numpy 1.24):
    python3 tools/make_storage_format_fixture.py
The inputs are not stored: StorageFormatTest generates the same ones with the same splitmix64 sequence and rules
(see inputs() below, mirrored there line for line), converts them with StorageFormat.F16.encode and compares each
block's hash. Per input, by the low 2 bits of its random word r (the float's bits come from r's upper 32 bits):
  0: any float32 bit pattern (NaN and infinities included);
  1: a random mantissa and sign with an exponent from 2^-26 to 2^17 (fp16's subnormals to past its overflow);
  2: an fp16 rounding midpoint (a finite fp16 magnitude m plus half its ulp), nudged by -1, 0 or +1 float32 ulp;
  3: a value from 65504 to 65536 (fp16's overflow boundary at 65520), random sign.
numpy marks a NaN's conversion differently from IEEE's quiet NaN (it keeps the payload without setting the quiet
bit), so each NaN result is hashed as 0x7e00 with its sign; the test checks NaN bits separately.
"""
import hashlib

import numpy as np

COUNT = 75 * 4096
BLOCK = 4096
SEED = 0x5EED_F16
M64 = (1 << 64) - 1


def splitmix64(seed):
    state = seed
    while True:
        state = (state + 0x9E3779B97F4A7C15) & M64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        yield z ^ (z >> 31)


def f16_decode(m):
    return float(np.array([m], dtype=np.uint16).view(np.float16)[0])


def inputs():
    rng = splitmix64(SEED)
    out = np.empty(COUNT, dtype=np.uint32)
    for i in range(COUNT):
        r = next(rng)
        kind = r & 3
        bits = (r >> 32) & 0xFFFFFFFF
        if kind == 0:
            x = bits
        elif kind == 1:
            e = 101 + ((r >> 2) % 44)
            x = (bits & 0x807FFFFF) | (e << 23)
        elif kind == 2:
            m = ((r >> 4) & 0xFFFF) % 0x7C00  # finite fp16 magnitudes 0 .. 0x7bff
            delta = ((r >> 2) & 3) % 3 - 1
            exp = m >> 10
            ulp = 2.0 ** -24 if exp == 0 else 2.0 ** (exp - 25)
            mid = np.float32(f16_decode(m) + ulp / 2)  # exact: 12 significant bits
            x = (int(np.array([mid], dtype=np.float32).view(np.uint32)[0]) + delta) | (bits & 0x80000000)
        else:
            x = (0x477FE000 + ((r >> 2) % 0x2001)) | (bits & 0x80000000)
        out[i] = x & 0xFFFFFFFF
    return out


def main():
    x = inputs().view(np.float32)
    with np.errstate(all="ignore"):
        h = x.astype(np.float16).view(np.uint16).copy()
    nan = np.isnan(x)
    h[nan] = 0x7E00 | (h[nan] & 0x8000)
    lines = [
        "# numpy float32 -> float16 of StorageFormatTest's generated inputs; written by",
        "# tools/make_storage_format_fixture.py (numpy %s); one line per block: index, SHA-256 of the" % np.__version__,
        "# 4096 results as little-endian uint16 (NaN results as 0x7e00 with their sign).",
        "count %d block %d seed 0x%x" % (COUNT, BLOCK, SEED),
    ]
    for b in range(COUNT // BLOCK):
        digest = hashlib.sha256(h[b * BLOCK:(b + 1) * BLOCK].astype("<u2").tobytes()).hexdigest()
        lines.append("%d %s" % (b, digest))
    with open("test-data/storage-format-f16.txt", "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
