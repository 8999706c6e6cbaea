#!/usr/bin/python3
"""pydicom side of bench/parse-throughput.sh: the same files, passes and JSON output as radbridge-parsebench.

  parse_pydicom.py throughput --mode header|lazy|full [--reps N] [--warmup-seconds S] FILE|DIR...
      header  dcmread(stop_before_pixels=True)
      lazy    dcmread(defer_size=64 KiB): large values (the pixel data) left in the file until used
      full    dcmread() and the pixel data bytes touched
  parse_pydicom.py header-rss FILE      dcmread(stop_before_pixels=True) of FILE, then the peak RSS (VmHWM)
  parse_pydicom.py baseline-rss         the peak RSS of the interpreter with pydicom imported
"""
import argparse
import json
import os
import sys
import time

import pydicom


def peak_rss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def expand(inputs):
    files = []
    for p in inputs:
        if os.path.isdir(p):
            for d, _, names in os.walk(p):
                files += [os.path.join(d, n) for n in names if n.endswith(".dcm")]
        elif os.path.isfile(p):
            files.append(p)
        else:
            sys.exit(f"error: no such file or folder: {p}")
    return sorted(files)


def parse_header(path):
    ds = pydicom.dcmread(path, stop_before_pixels=True)
    if "PixelData" in ds:
        raise RuntimeError(f"{path}: pixel data read despite stop_before_pixels")
    return check(path, ds)


def parse_lazy(path):
    ds = pydicom.dcmread(path, defer_size=64 * 1024)
    if (0x7FE0, 0x0010) not in ds:
        raise RuntimeError(f"{path}: no pixel data")
    return check(path, ds)


def parse_full(path):
    ds = pydicom.dcmread(path)
    px = ds.PixelData
    if not px or px[0] + px[-1] < 0:
        raise RuntimeError(f"{path}: no pixel data")
    return check(path, ds)


def check(path, ds):
    if not ds.SOPInstanceUID:
        raise RuntimeError(f"{path}: no SOP Instance UID")
    return len(ds)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("throughput")
    t.add_argument("--mode", choices=["header", "lazy", "full"], required=True)
    t.add_argument("--reps", type=int, default=5)
    t.add_argument("--warmup-seconds", type=float, default=2.0)
    t.add_argument("inputs", nargs="+")
    r = sub.add_parser("header-rss")
    r.add_argument("file")
    sub.add_parser("baseline-rss")
    a = ap.parse_args()

    if a.cmd == "baseline-rss":
        print(json.dumps({"tool": "pydicom", "mode": "baseline", "peakRssKiB": peak_rss_kib()}))
        return
    if a.cmd == "header-rss":
        ds = pydicom.dcmread(a.file, stop_before_pixels=True)
        print(json.dumps({"tool": "pydicom", "mode": "header-rss-stop", "fileBytes": os.path.getsize(a.file),
                          "elements": len(ds), "rows": ds.get("Rows"), "peakRssKiB": peak_rss_kib()}))
        return

    files = expand(a.inputs)
    if not files:
        sys.exit("error: no input files")
    size = sum(os.path.getsize(f) for f in files)
    parse = {"header": parse_header, "lazy": parse_lazy, "full": parse_full}[a.mode]
    # Untimed passes for a while first, the same policy as the other harnesses.
    check_count = sum(parse(f) for f in files)
    warm = time.perf_counter()
    while time.perf_counter() - warm < a.warmup_seconds:
        check_count = sum(parse(f) for f in files)
    seconds, cpu_seconds = [], []
    for _ in range(a.reps):
        c0 = time.process_time()
        t0 = time.perf_counter()
        count = sum(parse(f) for f in files)
        seconds.append(time.perf_counter() - t0)
        cpu_seconds.append(time.process_time() - c0)
        if count != check_count:
            raise RuntimeError(f"a repetition parsed {count} elements, the warm-up {check_count}")
        check_count = count
    print(json.dumps({"tool": "pydicom", "version": pydicom.__version__, "mode": a.mode, "files": len(files),
                      "bytes": size, "elements": check_count, "seconds": seconds,
                      "cpuSeconds": cpu_seconds}))


if __name__ == "__main__":
    main()
