#!/usr/bin/python3
"""Runs the shared harness's client (bench-peer/client_bench.py) against `radbridge scp`.

The harness checks each ingest by asking QIDO-RS for the study's instance count; `radbridge scp` serves no
DICOMweb, so here that one check counts the files the SCP filed durably under OUT/<StudyInstanceUID>/ instead
(SCP_OUT env var). Everything else (phases, timing, data, DCMTK client with TCP_NODELAY=1) is the harness's own.
usage: SCP_OUT=DIR dimse_bench_ours.py [client_bench.py options]
"""
import glob
import os
import sys

sys.path.insert(0, os.environ.get("BENCH_DIR", "/work/shared/bench-peer"))
import client_bench  # noqa: E402


def study_count_from_folder(self, study_uid):
    return len(glob.glob(os.path.join(os.environ["SCP_OUT"], study_uid, "*", "*.dcm")))


client_bench.Bench.study_count = study_count_from_folder
client_bench.main()
