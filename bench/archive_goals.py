#!/usr/bin/python3
"""Issue 6's benchmark goals, checked on one run of the shared harness against RadBridge and Orthanc.

usage: archive_goals.py ORTHANC.json RADBRIDGE.json    (client_bench.py result files) -> markdown on stdout

Ratios are RadBridge / Orthanc from the same run (same machine, same generated data, both fsyncing every instance);
latency goals are absolute medians. A figure missing from a result file (phase failed or not run) is reported as
"not measured" and counts as not met. Exit status: 0 when every goal is met, 1 otherwise.
"""
import json
import sys

STUDY_QIDO = [
    ("qido_name_prefix_Zhang*", "PatientName=Zhang*"),
    ("qido_name_chinese_*张*", "PatientName=*张*"),
    ("qido_date_range_2020", "StudyDate=2020 range"),
    ("qido_date_range_2020_mod_CR", "StudyDate range + ModalitiesInStudy=CR"),
    ("qido_patient_id_exact", "PatientID="),
    ("qido_study_uid_exact", "StudyInstanceUID="),
    ("qido_accession_exact", "AccessionNumber="),
    ("qido_all_studies_limit100", "studies?limit=100"),
]


def get(res, key, field):
    x = res["results"].get(key)
    return None if not x else x.get(field)


def fmt(v, unit=""):
    if v is None:
        return "not measured"
    s = f"{v:.0f}" if abs(v) >= 100 else (f"{v:.1f}" if abs(v) >= 10 else f"{v:.2f}")
    return s + unit


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    orthanc, ours = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:3])
    rows = []

    def ratio(label, key, field, goal):
        a, b = get(ours, key, field), get(orthanc, key, field)
        r = a / b if a is not None and b else None
        rows.append((f"{label} ≥ {goal:g}× Orthanc", f"{fmt(r, '×')} ({fmt(a)} vs {fmt(b)} inst/s)",
                     r is not None and r >= goal))

    def at_most(label, key, limit, unit="ms"):
        v = get(ours, key, "median_ms")
        o = get(orthanc, key, "median_ms")
        n, e = get(ours, key, "results"), get(ours, key, "expected")
        wrong = n is not None and e is not None and n != e
        note = f" (**{n} results, expected {e}**)" if wrong else ""
        rows.append((f"{label} ≤ {limit:g} {unit} p50", f"{fmt(v, ' ms')} (Orthanc {fmt(o, ' ms')}){note}",
                     v is not None and v <= limit and not wrong))

    ratio("C-STORE CT, 1 association", "cstore_1assoc", "median_inst_per_s", 2)
    ratio("C-STORE CT, 4 associations", "cstore_4parallel", "median_inst_per_s", 2)
    ratio("STOW-RS CT, sequential", "stow_sequential", "median_inst_per_s", 2)
    ratio("STOW-RS CT, 4 connections", "stow_4parallel", "median_inst_per_s", 2)
    ratio("small-instance fill (C-STORE)", "cstore_small_fill", "median_inst_per_s", 3)
    for key, label in STUDY_QIDO:
        at_most(f"QIDO studies {label}", key, 5)
    at_most("QIDO instances of the 300-instance series", "qido_instances_of_ct_series", 30)
    at_most("WADO-RS series /metadata (300 instances)", "wado_series_metadata", 20)
    at_most("WADO-RS frame /rendered JPEG", "wado_frame_rendered_jpeg", 3)
    n, e = get(ours, "qido_name_chinese_*张*", "results"), get(ours, "qido_name_chinese_*张*", "expected")
    on = get(orthanc, "qido_name_chinese_*张*", "results")
    rows.append((f"PatientName=*张* finds the {e if e is not None else 7} studies",
                 f"{n if n is not None else 'not measured'} found (Orthanc {on if on is not None else '—'})",
                 n is not None and n == e))

    print("| goal | measured (RadBridge vs Orthanc) | met? |\n|---|---|---|")
    for goal, measured, ok in rows:
        print(f"| {goal} | {measured} | {'yes' if ok else '**no**'} |")
    met = sum(1 for r in rows if r[2])
    print(f"\n{met} of {len(rows)} goals met.")
    sys.exit(0 if met == len(rows) else 1)


if __name__ == "__main__":
    main()
