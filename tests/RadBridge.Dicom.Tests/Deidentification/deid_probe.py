"""pydicom's view of a file, for the de-identification tests (run with /usr/bin/python3, pydicom 2.x).

identifying <file> [keep-uids] [keep-dates] [keep-patient-characteristics]
    Prints a JSON list of hex byte strings: the raw values of the file that a de-identified copy must not contain
    (person names and their longer components, patient IDs, dates, institution and other identifying strings,
    instance UIDs), each exactly as stored. Values the given options retain are left out.
structure <file>
    Prints a JSON list of [path, vr, summary] for every element at every level, where summary is the item count
    for sequences, the stored bytes (hex, padding removed) for text VRs, and the length for binary VRs.
"""
import json
import sys

import pydicom
from pydicom.datadict import dictionary_VR
from pydicom.tag import Tag

TEXT_VRS = {"AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "PN", "SH", "ST", "TM", "UC", "UI", "UR", "UT"}

# UIDs that name classes, syntaxes and coding schemes rather than instances.
CLASS_UID_TAGS = {0x00000002, 0x00000003, 0x00041510, 0x00041512, 0x0004151A, 0x00080016, 0x0008001A, 0x0008001B,
                  0x00080062, 0x0008010C, 0x0008010D, 0x00080118, 0x00081150, 0x04000010, 0x04000510}
# Versions of coding schemes and templates, not dates about anyone.
VERSION_DATE_TAGS = {0x00080106, 0x00080107, 0x0040DB06, 0x0040DB07}
# Identifying text attributes of PS3.15 Table E.1-1 (patient, study, institution, device identifiers).
IDENTIFYING_TEXT_TAGS = {
    0x00100020, 0x00101000, 0x00100021, 0x00080050, 0x00200010, 0x00080080, 0x00080081, 0x00081040, 0x00081010,
    0x00181000, 0x00101040, 0x00102154, 0x00380010, 0x00400253, 0x00400009, 0x00401001, 0x00402016, 0x00402017,
}
PATIENT_CHARACTERISTICS = {0x00101010, 0x00101020, 0x00101030, 0x00100040, 0x00102160, 0x001021A0, 0x001021C0}


def vr_of(ds, tag):
    raw = ds.get_item(tag)
    vr = getattr(raw, "VR", None)
    if vr in (None, "UN"):
        try:
            vr = dictionary_VR(tag)
        except KeyError:
            vr = "UN"
    return vr


def raw_bytes(ds, tag):
    raw = ds.get_item(tag)
    value = raw.value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    # Already converted (pydicom converts on access): encode back as stored.
    return b"" if value is None else str(value).encode("utf-8")


def walk(ds, visit, path=""):
    for tag in list(ds.keys()):
        tag = Tag(tag)
        vr = vr_of(ds, tag)
        key = f"{path}{int(tag):08X}"
        if vr == "SQ":
            items = ds[tag].value or []
            visit(ds, tag, vr, key, items)
            for i, item in enumerate(items):
                walk(item, visit, f"{key}[{i}]/")
        else:
            visit(ds, tag, vr, key, None)


def identifying(path, options):
    ds = pydicom.dcmread(path, force=True)
    found = set()
    private_values = set()
    public_values = set()
    kept_uids = set()

    def add(value):
        value = value.strip(b" \x00")
        # Four bytes or more, and not mere separators ("^^^^", "----"): shorter strings occur by chance.
        if len(value) >= 4 and any(b > 0x7F or chr(b).isalnum() for b in value):
            found.add(value)

    def visit(item, tag, vr, key, items):
        if items is not None:
            return
        vr = vr.split(" ")[0]
        t = int(tag)
        if tag.is_private:
            if vr in ("LO", "SH", "LT", "ST", "UT", "PN"):
                for v in raw_bytes(item, tag).split(b"\\"):
                    if len(v.strip(b" \x00")) >= 6:
                        private_values.add(v.strip(b" \x00"))
            return
        if vr in TEXT_VRS:
            public_values.update(v.strip(b" \x00") for v in raw_bytes(item, tag).split(b"\\"))
        if "keep-patient-characteristics" in options and t in PATIENT_CHARACTERISTICS:
            return
        data = raw_bytes(item, tag)
        if vr == "PN":
            for v in data.split(b"\\"):
                add(v)
                for part in v.replace(b"=", b"^").split(b"^"):
                    add(part)
        elif vr in ("DA", "DT"):
            if "keep-dates" not in options and t not in VERSION_DATE_TAGS:
                for v in data.split(b"\\"):
                    add(v[:8])
        elif vr == "UI":
            kept_uids.update(data.split(b"\\"))
            if "keep-uids" not in options and t not in CLASS_UID_TAGS:
                for v in data.split(b"\\"):
                    if not v.startswith(b"1.2.840.10008."):
                        add(v)
        elif t in IDENTIFYING_TEXT_TAGS:
            for v in data.split(b"\\"):
                add(v)

    walk(ds, visit)
    # A private value that repeats a public one the profile keeps (a model name, say) may rightly remain.
    for v in private_values - public_values:
        add(v)
    if "keep-uids" in options:
        # Retained UIDs may embed a date or a number the profile removes elsewhere (PS3.15 E.3.9 warns of it).
        found = {v for v in found if not any(v in u for u in kept_uids)}
    return sorted(v.hex() for v in found)


def structure(path):
    ds = pydicom.dcmread(path, force=True)
    out = []

    def visit(item, tag, vr, key, items):
        if items is not None:
            out.append([key, vr, len(items)])
        elif vr.split(" ")[0] in TEXT_VRS:
            out.append([key, vr, raw_bytes(item, tag).rstrip(b" \x00").hex()])
        else:
            value = item.get_item(tag).value
            out.append([key, vr, len(value) if value is not None else 0])

    walk(ds, visit)
    return out


if __name__ == "__main__":
    command, file = sys.argv[1], sys.argv[2]
    result = identifying(file, set(sys.argv[3:])) if command == "identifying" else structure(file)
    print(json.dumps(result))
