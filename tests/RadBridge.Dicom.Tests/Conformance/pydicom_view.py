"""pydicom's view of many files in one process, for the conformance tests (run with /usr/bin/python3, pydicom 2.x).

pydicom_view.py FILE...
    Prints one JSON object: for each FILE, {"meta": ..., "dataset": ...} (pydicom's DICOM JSON of the File Meta and of
    the data set, binary values replaced by the SHA-256 of their bytes as pydicom holds them, so the output stays
    small) or {"error": "..."} when pydicom cannot read or convert the file.
"""
import hashlib
import json
import sys
import warnings

import pydicom

# pydicom warns about invalid values on stderr; the tests compare values, not warnings.
warnings.simplefilter("ignore")


def digest(element):
    value = element.value
    if value is None:
        return "empty"
    if isinstance(value, (bytes, bytearray)):
        return "sha256:" + hashlib.sha256(value).hexdigest()
    return "sha256:" + hashlib.sha256(repr(value).encode()).hexdigest()


def view(path):
    try:
        ds = pydicom.dcmread(path, force=True)
        return {
            "meta": ds.file_meta.to_json_dict(bulk_data_threshold=1, bulk_data_element_handler=digest) if ds.file_meta else {},
            "dataset": ds.to_json_dict(bulk_data_threshold=1, bulk_data_element_handler=digest),
        }
    except Exception as ex:  # every failure is reported per file, the test decides
        return {"error": "%s: %s" % (type(ex).__name__, ex)}


sys.stdout.write(json.dumps({path: view(path) for path in sys.argv[1:]}))
