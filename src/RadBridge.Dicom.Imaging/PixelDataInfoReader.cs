namespace RadBridge.Dicom.Imaging;

/// <summary>
/// Reads and checks the Image Pixel module (PS3.3 C.7.6.3) for <see cref="PixelDataInfo.FromDataset"/>. Type 1
/// attributes must be present; Planar Configuration (often omitted for colour) defaults to 0 and Number of Frames to 1.
/// </summary>
internal static class PixelDataInfoReader
{
    public static PixelDataInfo Read(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var pixelTag = PixelElementTag(dataset);
        var isFloat = pixelTag != DicomTags.PixelData;

        var rows = Required(dataset, DicomTags.Rows, "Rows");
        var columns = Required(dataset, DicomTags.Columns, "Columns");
        var samples = Required(dataset, DicomTags.SamplesPerPixel, "Samples per Pixel");
        var bitsAllocated = Required(dataset, DicomTags.BitsAllocated, "Bits Allocated");
        var photometric = dataset.GetString(DicomTags.PhotometricInterpretation)?.Trim();
        if (string.IsNullOrEmpty(photometric))
            throw Problem(DicomTags.PhotometricInterpretation, "Photometric Interpretation", "is missing or empty");

        if (rows <= 0) throw Problem(DicomTags.Rows, "Rows", $"is {rows}; it must be at least 1");
        if (columns <= 0) throw Problem(DicomTags.Columns, "Columns", $"is {columns}; it must be at least 1");
        if (samples is not (1 or 3))
            throw Problem(DicomTags.SamplesPerPixel, "Samples per Pixel", $"is {samples}; only 1 and 3 are supported");

        int bitsStored, highBit;
        var signed = false;
        if (isFloat)
        {
            var expected = pixelTag == DicomTags.FloatPixelData ? 32 : 64;
            if (bitsAllocated != expected)
                throw Problem(DicomTags.BitsAllocated, "Bits Allocated", $"is {bitsAllocated}; {pixelTag} needs {expected}");
            bitsStored = bitsAllocated;
            highBit = bitsAllocated - 1;
        }
        else
        {
            if (bitsAllocated is not (1 or 8 or 16 or 32))
                throw Problem(DicomTags.BitsAllocated, "Bits Allocated", $"is {bitsAllocated}; 1, 8, 16 or 32 are supported");
            bitsStored = Required(dataset, DicomTags.BitsStored, "Bits Stored");
            highBit = dataset.TryGetValue<int>(DicomTags.HighBit, 0, out var hb) ? hb : bitsStored - 1;
            var representation = Required(dataset, DicomTags.PixelRepresentation, "Pixel Representation");
            if (representation is not (0 or 1))
                throw Problem(DicomTags.PixelRepresentation, "Pixel Representation", $"is {representation}; it must be 0 or 1");
            signed = representation == 1;
            if (bitsStored < 1 || bitsStored > bitsAllocated)
                throw Problem(DicomTags.BitsStored, "Bits Stored", $"is {bitsStored}; it must be 1 to Bits Allocated ({bitsAllocated})");
            if (highBit < bitsStored - 1 || highBit >= bitsAllocated)
                throw Problem(DicomTags.HighBit, "High Bit", $"is {highBit}; with Bits Stored {bitsStored} and Bits Allocated {bitsAllocated} it must be {bitsStored - 1}");
        }

        var planar = dataset.TryGetValue<int>(DicomTags.PlanarConfiguration, 0, out var pc) ? pc : 0;
        if (samples > 1 && planar is not (0 or 1))
            throw Problem(DicomTags.PlanarConfiguration, "Planar Configuration", $"is {planar}; it must be 0 or 1");

        var frames = 1;
        if (dataset.Contains(DicomTags.NumberOfFrames) && !string.IsNullOrWhiteSpace(dataset.GetString(DicomTags.NumberOfFrames)))
        {
            if (!dataset.TryGetValue(DicomTags.NumberOfFrames, 0, out frames) || frames < 1)
                throw Problem(DicomTags.NumberOfFrames, "Number of Frames", $"is '{dataset.GetString(DicomTags.NumberOfFrames)}'; it must be a whole number of at least 1");
        }

        CheckPhotometric(photometric, samples, bitsAllocated);

        return new PixelDataInfo
        {
            Rows = rows,
            Columns = columns,
            SamplesPerPixel = samples,
            BitsAllocated = bitsAllocated,
            BitsStored = bitsStored,
            HighBit = highBit,
            IsSigned = signed,
            PhotometricInterpretation = photometric,
            PlanarConfiguration = samples > 1 ? planar : 0,
            NumberOfFrames = frames,
            PixelDataTag = pixelTag,
        };
    }

    private static DicomTag PixelElementTag(DicomDataset dataset)
    {
        if (dataset.Contains(DicomTags.PixelData)) return DicomTags.PixelData;
        if (dataset.Contains(DicomTags.FloatPixelData)) return DicomTags.FloatPixelData;
        if (dataset.Contains(DicomTags.DoubleFloatPixelData)) return DicomTags.DoubleFloatPixelData;
        throw new DicomException($"the data set has no pixel data: none of Pixel Data {DicomTags.PixelData}, Float Pixel Data {DicomTags.FloatPixelData} or Double Float Pixel Data {DicomTags.DoubleFloatPixelData}");
    }

    // PS3.3 C.7.6.3.1.2: monochrome and palette images have one sample per pixel, RGB and YBR three.
    private static void CheckPhotometric(string photometric, int samples, int bitsAllocated)
    {
        var expected = photometric switch
        {
            "MONOCHROME1" or "MONOCHROME2" or "PALETTE COLOR" => 1,
            "RGB" or "YBR_FULL" or "YBR_FULL_422" or "YBR_PARTIAL_422" or "YBR_PARTIAL_420" or "YBR_ICT" or "YBR_RCT" => 3,
            _ => 0,
        };
        if (expected != 0 && expected != samples)
            throw Problem(DicomTags.PhotometricInterpretation, "Photometric Interpretation",
                $"is {photometric}, which needs Samples per Pixel {expected}, but Samples per Pixel is {samples}");
        if (bitsAllocated == 1 && samples != 1)
            throw Problem(DicomTags.BitsAllocated, "Bits Allocated", "is 1, which only single-sample images can use");
    }

    private static int Required(DicomDataset dataset, DicomTag tag, string name)
    {
        if (!dataset.Contains(tag)) throw Problem(tag, name, "is missing");
        if (!dataset.TryGetValue<int>(tag, 0, out var value)) throw Problem(tag, name, $"has no usable value ('{dataset.GetString(tag)}')");
        return value;
    }

    private static DicomException Problem(DicomTag tag, string name, string problem) =>
        new($"Image Pixel module: {name} {tag} {problem}");
}
