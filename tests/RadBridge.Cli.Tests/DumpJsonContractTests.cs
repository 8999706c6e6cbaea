using System.Globalization;
using System.Text.Json;
using RadBridge.Dicom.Tests;

namespace RadBridge.Cli.Tests;

/// <summary>The exact contract of <c>radbridge dump FILE --json</c> that acceptance checks run.</summary>
public class DumpJsonContractTests
{
    [Theory]
    [InlineData("CT_small.dcm")]
    [InlineData("chrX2.dcm")]
    [InlineData("rtplan.dcm")]
    [InlineData("image_dfl.dcm")]
    [InlineData("ExplVR_BigEnd.dcm")]
    [InlineData("JPEG2000.dcm")]
    public void Prints_exactly_one_json_object_of_the_data_set_in_tag_order(string sample)
    {
        var r = CliRunner.Run("dump", TestPaths.Sample(sample), "--json");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.StdErr);

        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(r.StdOut));
        using var doc = JsonDocument.ParseValue(ref reader);
        Assert.False(reader.Read(), "stdout holds more than one JSON value");
        Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);

        uint previous = 0;
        foreach (var property in doc.RootElement.EnumerateObject())
        {
            Assert.Matches("^[0-9A-F]{8}$", property.Name);
            var tag = uint.Parse(property.Name, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            Assert.True(tag > previous, $"{property.Name} out of order");
            Assert.False(tag >> 16 == 0x0002, "File Meta must not be in the dump");
            previous = tag;
            Assert.True(property.Value.TryGetProperty("vr", out _), $"{property.Name} has no vr");
            AssertBinaryOverOneKiBIsBulk(property.Value);
        }
    }

    [Fact]
    public void Person_names_are_decoded_to_unicode_component_groups()
    {
        var r = CliRunner.Run("dump", TestPaths.Sample("chrX2.dcm"), "--json");
        using var doc = JsonDocument.Parse(r.StdOut);
        var pn = doc.RootElement.GetProperty("00100010").GetProperty("Value")[0];
        Assert.Equal("Wang^XiaoDong", pn.GetProperty("Alphabetic").GetString());
        Assert.Equal("王^小东", pn.GetProperty("Ideographic").GetString());
        Assert.Contains("王^小东", r.StdOut, StringComparison.Ordinal); // not \u-escaped
    }

    [Fact]
    public void Large_pixel_data_is_a_bulk_data_uri_with_offset_and_length()
    {
        var r = CliRunner.Run("dump", TestPaths.Sample("CT_small.dcm"), "--json");
        using var doc = JsonDocument.Parse(r.StdOut);
        var uri = doc.RootElement.GetProperty("7FE00010").GetProperty("BulkDataURI").GetString();
        Assert.NotNull(uri);
        Assert.StartsWith("file:///", uri, StringComparison.Ordinal);
        Assert.Contains("offset=", uri, StringComparison.Ordinal);
        Assert.Contains("length=32768", uri, StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_file_in_json_mode_keeps_the_error_contract()
    {
        var r = CliRunner.Run("dump", TestPaths.Sample("no_meta.dcm"), "--json");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("", r.StdOut);
        Assert.StartsWith("error:", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("offset", r.StdErr, StringComparison.Ordinal);
    }

    private static void AssertBinaryOverOneKiBIsBulk(JsonElement attribute)
    {
        if (attribute.TryGetProperty("InlineBinary", out var inline))
        {
            var bytes = Convert.FromBase64String(inline.GetString()!);
            Assert.True(bytes.Length <= 1024, $"inline binary of {bytes.Length} bytes");
        }
        if (attribute.TryGetProperty("Value", out var values) && values.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in values.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || item.TryGetProperty("Alphabetic", out _) || item.TryGetProperty("Ideographic", out _) || item.TryGetProperty("Phonetic", out _))
                    continue;
                foreach (var nested in item.EnumerateObject()) AssertBinaryOverOneKiBIsBulk(nested.Value);
            }
        }
    }
}
