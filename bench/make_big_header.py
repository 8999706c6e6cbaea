#!/usr/bin/python3
"""Writes a valid Part 10 CT file whose native Pixel Data claims ~3 GiB, as a sparse file (for the header-memory test).

  make_big_header.py OUT [--frames 6144]

6144 frames of 512x512 16-bit = 3 GiB exactly (3221225472 bytes, under the 32-bit length limit). The header is written
by pydicom; the Pixel Data element header is appended by hand and the file is then extended with truncate(), so the
pixel bytes take no disk space (they read as zeros) while every reader sees a file of the full length.
"""
import argparse
import os
import struct

from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--frames", type=int, default=6144)
    a = ap.parse_args()
    rows = cols = 512
    pixel_bytes = rows * cols * 2 * a.frames
    if pixel_bytes >= 0xFFFFFFFF:
        raise SystemExit("error: pixel data must stay under the 32-bit length limit")

    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"  # CT Image Storage
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.Modality = "CT"
    ds.PatientName = "Big^Header"
    ds.PatientID = "BIG3G"
    ds.StudyInstanceUID = generate_uid()
    ds.SeriesInstanceUID = generate_uid()
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.NumberOfFrames = a.frames
    ds.Rows = rows
    ds.Columns = cols
    ds.BitsAllocated = 16
    ds.BitsStored = 16
    ds.HighBit = 15
    ds.PixelRepresentation = 1
    ds.save_as(a.out, write_like_original=False)

    with open(a.out, "ab") as f:
        # (7FE0,0010) OW, explicit VR long form: tag, "OW", 2 reserved bytes, 32-bit length.
        f.write(struct.pack("<HH2sHI", 0x7FE0, 0x0010, b"OW", 0, pixel_bytes))
        header_end = f.tell()
    os.truncate(a.out, header_end + pixel_bytes)
    print(f"{a.out}: {header_end} header bytes + {pixel_bytes} pixel bytes (sparse)")


if __name__ == "__main__":
    main()
