#!/usr/bin/python3
"""Markdown table from the two client_bench.py JSON files. usage: dimse_report.py orthanc.json radbridge.json out.md"""
import json, os, platform, subprocess, sys
o, r = (json.load(open(p))["results"] for p in sys.argv[1:3])
rows = []
def ingest(key, label):
    if key in o and key in r:
        a, b = o[key]["median_inst_per_s"], r[key]["median_inst_per_s"]
        rows.append(f"| {label} | {a:.0f} inst/s ({o[key]['median_s']:.2f} s) | {b:.0f} inst/s ({r[key]['median_s']:.2f} s) | **{b / a:.2f}x** |")
if "cecho_ms" in o and "cecho_ms" in r:
    a, b = o["cecho_ms"]["median_ms"], r["cecho_ms"]["median_ms"]
    # (T(repeat 21) - T(repeat 1)) / 20 from process timings: on a loaded machine it can come out negative.
    ratio = f"{a / b:.2f}x" if a > 0 and b > 0 else "below this method's noise"
    rows.append(f"| C-ECHO in association (median) | {a:.3f} ms | {b:.3f} ms | {ratio} |")
    rows.append(f"| echoscu process incl. association (median) | {o['cecho_ms']['process_median_ms']:.1f} ms | {r['cecho_ms']['process_median_ms']:.1f} ms | |")
ingest("cstore_1assoc", "C-STORE 300-slice CT, 1 association")
ingest("cstore_4parallel", "C-STORE 300-slice CT, 4 associations")
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
runs = json.load(open(sys.argv[1]))["params"]["runs"]
with open(sys.argv[3], "w") as f:
    f.write("# DIMSE: radbridge scp vs Orthanc\n\n")
    f.write(f"`bench/dimse-vs-orthanc.sh`, {os.cpu_count()} cores ({cpu}), {platform.release()}; "
            f"{subprocess.run(['/usr/sbin/Orthanc', '--version'], capture_output=True, text=True).stdout.splitlines()[0]}. "
            f"Client: the shared harness's client_bench.py (DCMTK echoscu/storescu, TCP_NODELAY=1), median of {runs} runs, "
            "each on a fresh never-seen 300-slice 512x512 CT (~157 MB). Both servers fsync every instance (Orthanc "
            "SyncStorageArea true, TCP_NODELAY=1; radbridge: temp file, fsync, rename) and share the 2 cores with the client.\n\n")
    f.write("| measure | Orthanc | radbridge scp | ratio |\n|---|---|---|---|\n")
    f.write("\n".join(rows) + "\n")
print(open(sys.argv[3]).read())
