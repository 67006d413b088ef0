#!/usr/bin/env python3
"""Writes PyTorch reference outputs of the data pipeline to test-data/preprocess/ (run from the repository root).

Pipeline, per image (uint8, 3x32x32, R/G/B planes as in the CIFAR-10 binary files):
  optional augmentation (dx, dy, flip): x = F.pad(x, (4, 4, 4, 4))[:, dy:dy+32, dx:dx+32], then x.flip(-1) if flip
      (done on x = u8 / 255, where a zero pad is the same as a black pixel)
  x = u8.float() / 255
  x = F.interpolate(x, size=(S, S), mode='bilinear', align_corners=False)
  x = (x - mean[c]) / std[c]

Files:
  images.u8.bin   N x 3072 uint8 input images
  cases.json      one entry per case: size, image indices, augmentations ([dx, dy, flip] per image, or null),
                  rows/cols kept (null = all) and the output file
  <case>.f32.bin  per image, channel, kept row, kept column: float32 little-endian
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join("test-data", "preprocess")
MEAN = torch.tensor([0.4914, 0.4822, 0.4465], dtype=torch.float32).view(1, 3, 1, 1)
STD = torch.tensor([0.2470, 0.2435, 0.2616], dtype=torch.float32).view(1, 3, 1, 1)
PAD = 4


def pipeline(u8, size, aug):
    x = torch.from_numpy(u8.reshape(-1, 3, 32, 32)).float() / 255
    if aug is not None:
        crops = []
        for img, (dx, dy, flip) in zip(x, aug):
            c = F.pad(img, (PAD, PAD, PAD, PAD))[:, dy:dy + 32, dx:dx + 32]
            crops.append(c.flip(-1) if flip else c)
        x = torch.stack(crops)
    y = F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False)
    return (y - MEAN) / STD


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20240607)
    images = rng.integers(0, 256, size=(3, 3072), dtype=np.uint8)
    images.tofile(os.path.join(OUT, "images.u8.bin"))
    # At 227 only a grid of rows and columns is kept (edges included) to keep the fixture small.
    grid = sorted(set(range(0, 227, 6)) | {1, 2, 113, 224, 225, 226})
    cases = [
        dict(name="size67", size=67, images=[0, 1], aug=None, rows=None, cols=None),
        dict(name="size227_grid", size=227, images=[0, 2], aug=None, rows=grid, cols=grid),
        dict(name="size67_cropflip", size=67, images=[0, 1, 2], aug=[[1, 7, True], [8, 0, False], [0, 8, True]],
             rows=None, cols=None),
        dict(name="size32_flip", size=32, images=[2], aug=[[4, 4, True]], rows=None, cols=None),
    ]
    for case in cases:
        y = pipeline(images[case["images"]], case["size"], case["aug"])
        if case["rows"] is not None:
            y = y[:, :, case["rows"], :][:, :, :, case["cols"]]
        case["file"] = case["name"] + ".f32.bin"
        y.contiguous().numpy().astype("<f4").tofile(os.path.join(OUT, case["file"]))
    meta = dict(torch=torch.__version__, images_file="images.u8.bin", count=len(images), cases=cases)
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        # One case per line: readable diffs without a line per number.
        head = json.dumps({k: v for k, v in meta.items() if k != "cases"})[:-1]
        f.write(head + ', "cases": [\n' + ",\n".join(json.dumps(c) for c in cases) + "\n]}\n")


if __name__ == "__main__":
    main()
