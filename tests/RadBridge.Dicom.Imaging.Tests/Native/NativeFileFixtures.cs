using RadBridge.Dicom.Imaging.Codecs;
using RadBridge.Dicom.Tests;

namespace RadBridge.Dicom.Imaging.Tests.Native;

/// <summary>Writes a native sample's first frame, encoded by one of our codecs, as a single-frame encapsulated DICOM file.</summary>
internal static class NativeFileFixtures
{
    public static EncodedFrame WriteEncapsulated(string sampleName, IPixelCodec codec, string transferSyntaxUid, string path, PixelEncodeOptions? options = null)
    {
        var sample = Sample.Load(sampleName);
        var encoded = codec.Encode(transferSyntaxUid, sample.Frames[0], sample.Info, options ?? PixelEncodeOptions.Default);
        var file = DicomFile.Open(TestPaths.Sample(sampleName));
        var ds = file.Dataset;
        var data = encoded.Data.Length % 2 == 0 ? encoded.Data : [.. encoded.Data, 0];
        ds.Remove(DicomTags.NumberOfFrames);
        ds.AddOrUpdate(DicomTags.PhotometricInterpretation, encoded.PhotometricInterpretation);
        if (sample.Info.SamplesPerPixel > 1) ds.AddOrUpdate<ushort>(DicomTags.PlanarConfiguration, DicomVR.US, 0);
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, DicomBuffer.Empty, [new MemoryDicomBuffer(data)]));
        file.Save(path, DicomTransferSyntax.Lookup(transferSyntaxUid));
        return encoded;
    }
}
