#!/usr/bin/python3
"""Print the pixel hash of DICOM files as pydicom decodes them, one lower-case hex line per file.

The hash is the one of the shared samples' README ("Pixel hash definition"): SHA-256 of every frame's stored values,
ordered frame, row, column, sample (colour-by-pixel), each little endian at the width of Bits Allocated (1 byte for
1 and 8), integers masked to Bits Stored or sign-extended from it, Bits Allocated 1 unpacked to one byte per pixel.
pydicom's pixel_array already expands YBR_FULL_422 and gives colour-by-pixel; no LUTs are applied.
"""
import hashlib
import sys

import numpy as np
import pydicom


def pixel_hash(path):
    ds = pydicom.dcmread(path)
    arr = ds.pixel_array
    bits_allocated = int(ds.BitsAllocated)
    if "FloatPixelData" in ds or "DoubleFloatPixelData" in ds:
        width = {32: "<f4", 64: "<f8"}[bits_allocated]
        return hashlib.sha256(np.ascontiguousarray(arr, dtype=width).tobytes()).hexdigest()
    if bits_allocated == 1:
        return hashlib.sha256(np.ascontiguousarray(arr, dtype="u1").tobytes()).hexdigest()
    width = {8: 1, 16: 2, 32: 4}[bits_allocated]
    bits_stored = int(ds.BitsStored)
    signed = int(ds.PixelRepresentation) == 1
    values = arr.astype(np.int64) & ((1 << bits_stored) - 1)
    if signed:
        sign = 1 << (bits_stored - 1)
        values = (values ^ sign) - sign
    out = values.astype("<i%d" % width if signed else "<u%d" % width)
    return hashlib.sha256(np.ascontiguousarray(out).tobytes()).hexdigest()


if __name__ == "__main__":
    for p in sys.argv[1:]:
        print(pixel_hash(p))
