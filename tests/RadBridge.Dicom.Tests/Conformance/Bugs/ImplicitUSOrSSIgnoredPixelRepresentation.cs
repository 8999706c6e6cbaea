using System.Buffers.Binary;

namespace RadBridge.Dicom.Tests.Conformance.Bugs;

/// <summary>
/// Bug: in Implicit VR data the reader took the first dictionary VR (US) for "US or SS" attributes, so a signed
/// image's Smallest Image Pixel Value −1 read as 65535 and was rewritten in Explicit VR as US (found on
/// MR_small_implicit.dcm, whose sidecar says SS).
/// </summary>
public class ImplicitUSOrSSIgnoredPixelRepresentation
{
    [Theory]
    [InlineData(1, DicomVR.SS, -1)]
    [InlineData(0, DicomVR.US, 65535)]
    public void US_or_SS_follows_Pixel_Representation(ushort pixelRepresentation, DicomVR expectedVR, int expectedValue)
    {
        var file = DicomFile.Read(new MemoryStream(ImplicitDataset(
            (0x00280103, BitConverter.GetBytes(pixelRepresentation)),
            (0x00280106, [0xFF, 0xFF]))));

        var smallest = file.Dataset[DicomTags.SmallestImagePixelValue]!;
        Assert.Equal(expectedVR, smallest.VR);
        Assert.Equal(expectedValue, file.Dataset.GetValue<int>(DicomTags.SmallestImagePixelValue));
    }

    [Fact]
    public void A_sequence_item_takes_Pixel_Representation_from_the_enclosing_data_set()
    {
        var item = ImplicitElements((0x00280120, [0x00, 0x80]));
        var file = DicomFile.Read(new MemoryStream(ImplicitDataset(
            (0x00280103, [0x01, 0x00]),
            (0x00289145, ItemOf(item)))));

        var padding = file.Dataset.GetSequence(new DicomTag(0x0028, 0x9145))!.Items[0][DicomTags.PixelPaddingValue]!;
        Assert.Equal(DicomVR.SS, padding.VR);
    }

    [Fact]
    public void LUT_descriptors_stay_US_whatever_the_Pixel_Representation()
    {
        var file = DicomFile.Read(new MemoryStream(ImplicitDataset(
            (0x00280103, [0x01, 0x00]),
            (0x00281101, [0x00, 0x01, 0x00, 0x00, 0x10, 0x00]))));

        Assert.Equal(DicomVR.US, file.Dataset[DicomTags.RedPaletteColorLookupTableDescriptor]!.VR);
    }

    private static byte[] ItemOf(byte[] content)
    {
        var item = new byte[8 + content.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(item, 0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(item.AsSpan(2), 0xE000);
        BinaryPrimitives.WriteUInt32LittleEndian(item.AsSpan(4), (uint)content.Length);
        content.CopyTo(item, 8);
        return item;
    }

    /// <summary>A raw Implicit VR Little Endian data set, led by Specific Character Set so the encoding is detected.</summary>
    private static byte[] ImplicitDataset(params (uint Tag, byte[] Value)[] elements) =>
        ImplicitElements([(0x00080005, "ISO_IR 100"u8.ToArray()), .. elements]);

    private static byte[] ImplicitElements(params (uint Tag, byte[] Value)[] elements)
    {
        var stream = new MemoryStream();
        Span<byte> header = stackalloc byte[8];
        foreach (var (tag, value) in elements)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(header, (ushort)(tag >> 16));
            BinaryPrimitives.WriteUInt16LittleEndian(header[2..], (ushort)tag);
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)value.Length);
            stream.Write(header);
            stream.Write(value);
        }
        return stream.ToArray();
    }
}
