using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Text;
using RadBridge.Dicom.Deidentification;

namespace RadBridge.Dicom.Tests.Robustness;

/// <summary>Regression tests, each named for a bug the robustness work found or closed.</summary>
public sealed class ReaderRegressionTests
{
    [Fact]
    public void MaxDepth_counted_stack_frames_so_the_default_64_allowed_only_32_levels()
    {
        var file = DicomFile.Read(new MemoryStream(HostileFiles.NestedSequences(64, explicitVR: true, undefinedLength: true)));
        Assert.True(file.IsComplete);
        Assert.Equal(64, HostileFileTests.NestingDepth(file.Dataset));
        Assert.Throws<DicomReadException>(() => DicomFile.Read(new MemoryStream(HostileFiles.NestedSequences(65, explicitVR: true, undefinedLength: true))));
    }

    [Fact]
    public void MaxDepth_above_the_supported_maximum_is_refused_when_the_options_are_made()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DicomReadOptions { MaxDepth = DicomReadOptions.MaxSupportedDepth + 1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new DicomReadOptions { MaxDepth = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new DicomReadOptions { MaxInflatedLength = 0 });
    }

    [Fact]
    public void Recursive_walkers_survive_the_deepest_nesting_the_reader_allows_on_a_small_stack()
    {
        // Clone, character set change, JSON, XML, writer, de-identification and validation recurse per sequence level;
        // the reader's cap must keep every one of them far from a stack overflow (which no catch can stop).
        var options = new DicomReadOptions { MaxDepth = DicomReadOptions.MaxSupportedDepth };
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                foreach (var (explicitVR, undefined) in new[] { (true, true), (false, false) })
                {
                    var file = DicomFile.Read(new MemoryStream(HostileFiles.NestedSequences(DicomReadOptions.MaxSupportedDepth, explicitVR, undefined)), options);
                    Assert.Equal(DicomReadOptions.MaxSupportedDepth, HostileFileTests.NestingDepth(file.Dataset));
                    var clone = file.Dataset.Clone();
                    clone.ChangeSpecificCharacterSet(["ISO_IR 192"]);
                    Assert.NotEmpty(DicomJson.SerializeToUtf8Bytes(clone));
                    Assert.NotEmpty(DicomXml.SerializeToUtf8Bytes(clone));
                    var written = new MemoryStream();
                    new DicomFile(clone).WriteTo(written);
                    var back = DicomFile.Read(new MemoryStream(written.ToArray()), options);
                    Assert.Equal(DicomReadOptions.MaxSupportedDepth, HostileFileTests.NestingDepth(back.Dataset));
                    _ = new DicomDeidentifier().Deidentify(back);
                    _ = DicomValidator.Validate(file);
                }
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        }, maxStackSize: 512 * 1024);
        thread.Start();
        thread.Join();
        Assert.Null(failure);
    }

    [Fact]
    public void Json_writer_threw_InvalidOperationException_for_data_sets_nested_past_64_levels()
    {
        var read = DicomFile.Read(new MemoryStream(HostileFiles.NestedSequences(100, explicitVR: true, undefinedLength: true)), new DicomReadOptions { MaxDepth = 100 });
        Assert.Contains("DEEP", DicomJson.Serialize(read.Dataset), StringComparison.Ordinal);

        // Built in code deeper than any read data set: refused with a DicomException, not a crash.
        var root = new DicomDataset();
        var level = root;
        for (var i = 0; i <= DicomReadOptions.MaxSupportedDepth; i++)
        {
            var item = new DicomDataset();
            level.Add(new DicomSequence(new DicomTag(0x0040, 0xA730), [item]));
            level = item;
        }
        Assert.Contains("nested deeper than 256", Assert.ThrowsAny<DicomException>(() => DicomJson.Serialize(root)).Message, StringComparison.Ordinal);
        Assert.Contains("nested deeper than 256", Assert.ThrowsAny<DicomException>(() => DicomXml.Serialize(root)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Xml_nested_deeper_than_64_levels_recursed_without_a_bound()
    {
        var xml = new StringBuilder("<NativeDicomModel>");
        for (var i = 0; i < 100; i++) xml.Append("<DicomAttribute tag=\"0040A730\" vr=\"SQ\"><Item number=\"1\">");
        for (var i = 0; i < 100; i++) xml.Append("</Item></DicomAttribute>");
        xml.Append("</NativeDicomModel>");
        var ex = Assert.ThrowsAny<DicomException>(() => DicomXml.Deserialize(xml.ToString()));
        Assert.Contains("nested deeper than 64 levels", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pipe_accepted_a_defined_length_sequence_longer_than_the_source_when_a_delimiter_ended_it()
    {
        // (3006,0040) SQ claiming 0x7F000000 bytes, holding one undefined-length item, ended by a sequence delimiter.
        var body = new MemoryStream();
        body.Write(HostileFiles.Element(0x0008, 0x0060, "CS", "RT"u8.ToArray(), explicitVR: true));
        body.Write([0x06, 0x30, 0x40, 0x00, (byte)'S', (byte)'Q', 0, 0, 0x00, 0x00, 0x00, 0x7F]);
        body.Write([0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF]);
        body.Write([0xFE, 0xFF, 0x0D, 0xE0, 0, 0, 0, 0]);
        body.Write([0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0]);
        byte[] bytes = [.. HostileFiles.Part10Head(HostileFiles.ExplicitLE), .. body.ToArray()];

        var fromStream = Assert.Throws<DicomReadException>(() => DicomFile.Read(new MemoryStream(bytes)));
        var fromPipe = Assert.Throws<DicomReadException>(() => ReadFromPipe(bytes));
        Assert.Equal(fromStream.Message, fromPipe.Message);
        Assert.Contains("claims 2130706432 bytes", fromPipe.Message, StringComparison.Ordinal);
        Assert.Equal(new DicomTag(0x3006, 0x0040), fromPipe.Tag);
    }

    [Fact]
    public void Native_pixel_data_in_an_encapsulated_transfer_syntax_was_read_silently()
    {
        var bytes = WithTransferSyntax(File.ReadAllBytes(TestPaths.Sample("MR_small.dcm")), "1.2.840.10008.1.2.4.50");

        var ex = Assert.Throws<DicomReadException>(() => DicomFile.Read(new MemoryStream(bytes)));
        Assert.Contains("native pixel data (8192 bytes with a defined length) in the encapsulated transfer syntax JPEG Baseline", ex.Message, StringComparison.Ordinal);
        Assert.Equal(new DicomTag(0x7FE0, 0x0010), ex.Tag);

        var lenient = DicomFile.Read(new MemoryStream(bytes), new DicomReadOptions { Lenient = true });
        Assert.True(lenient.IsComplete);
        Assert.Contains(lenient.Warnings, w => w.Contains("kept as a native value", StringComparison.Ordinal));
        Assert.Equal(8192, Assert.IsType<DicomValueElement>(lenient.Dataset[new DicomTag(0x7FE0, 0x0010)]).Length);
    }

    [Fact]
    public void Native_pixel_data_under_an_unknown_transfer_syntax_is_still_read()
    {
        // An unknown UID is assumed encapsulated (PS3.5 §10) but may be a private native syntax: no refusal on a guess.
        var bytes = WithTransferSyntax(File.ReadAllBytes(TestPaths.Sample("MR_small.dcm")), "1.2.3.4.5.6");
        var file = DicomFile.Read(new MemoryStream(bytes));
        Assert.True(file.IsComplete);
    }

    private static DicomFile ReadFromPipe(byte[] bytes)
    {
        var reader = PipeReader.Create(new MemoryStream(bytes), new StreamPipeReaderOptions(bufferSize: 64, minimumReadSize: 32));
        try
        {
            return DicomFile.ReadAsync(reader).GetAwaiter().GetResult();
        }
        finally
        {
            reader.Complete();
        }
    }

    /// <summary>The file with File Meta rebuilt around another Transfer Syntax UID (the data set bytes unchanged).</summary>
    internal static byte[] WithTransferSyntax(byte[] file, string uid)
    {
        var metaLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(140));
        var meta = new MemoryStream();
        var pos = 144;
        while (pos < 144 + metaLength)
        {
            var element = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(pos + 2));
            var vr = Encoding.ASCII.GetString(file, pos + 4, 2);
            var longForm = vr is "OB" or "OW" or "UN" or "SQ" or "UT";
            var length = longForm ? (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(pos + 8)) : BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(pos + 6));
            var header = longForm ? 12 : 8;
            if (element == 0x0010)
            {
                var value = Encoding.ASCII.GetBytes(uid.Length % 2 == 0 ? uid : uid + "\0");
                meta.Write(HostileFiles.Element(0x0002, 0x0010, "UI", value, explicitVR: true));
            }
            else
            {
                meta.Write(file, pos, header + length);
            }
            pos += header + length;
        }
        var output = new MemoryStream();
        output.Write(file, 0, 132);
        output.Write(HostileFiles.Element(0x0002, 0x0000, "UL", BitConverter.GetBytes((uint)meta.Length), explicitVR: true));
        meta.Position = 0;
        meta.CopyTo(output);
        output.Write(file, 144 + metaLength, file.Length - 144 - metaLength);
        return output.ToArray();
    }
}
