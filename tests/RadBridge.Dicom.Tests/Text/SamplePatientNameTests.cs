using System.Text.Json;

namespace RadBridge.Dicom.Tests.Text;

/// <summary>
/// Patient Name of every shared sample whose sidecar gives the stored bytes and the value a conforming decoder returns
/// (values read by pydicom and DCMTK, not by us), decoded with the sample's Specific Character Set.
/// </summary>
public class SamplePatientNameTests
{
    public static TheoryData<string> Samples() => new(SampleNames());

    private static List<string> SampleNames()
    {
        var names = new List<string>();
        foreach (var path in Directory.EnumerateFiles(Path.Combine(SampleFiles.Directory, "expected"), "*.json").Order(StringComparer.Ordinal))
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(path));
            if (json.RootElement.TryGetProperty("patient_name", out var pn)
                && pn.ValueKind == JsonValueKind.Object
                && pn.TryGetProperty("raw_hex", out var raw) && raw.ValueKind == JsonValueKind.String
                && pn.TryGetProperty("expected", out var expected) && expected.ValueKind == JsonValueKind.String)
            {
                names.Add(Path.GetFileNameWithoutExtension(path));
            }
        }
        return names;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Patient_name_decodes_to_the_expected_value(string sample)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(SampleFiles.ExpectedJson(sample)));
        var root = json.RootElement;
        var pn = root.GetProperty("patient_name");
        var terms = root.TryGetProperty("specific_character_set", out var scs) && scs.ValueKind == JsonValueKind.Array
            ? scs.EnumerateArray().Select(v => v.GetString() ?? "").ToArray()
            : null;

        var encoding = DicomTextEncoding.FromSpecificCharacterSet(terms);
        var decoded = encoding.Decode(Convert.FromHexString(pn.GetProperty("raw_hex").GetString()!), DicomVR.PN);

        // Decode keeps padding; the trailing SPACE of an odd-length name is the data set's to remove (PS3.5 6.2).
        Assert.Equal(pn.GetProperty("expected").GetString(), decoded.TrimEnd(' '));
        Assert.Empty(encoding.Warnings);
    }

    [Fact]
    public void The_samples_include_the_character_set_examples()
    {
        var names = SampleNames().ToHashSet();
        Assert.Superset(new HashSet<string> { "chrH31", "chrH32", "chrI2", "chrJapMultiExplicitIR6", "chrX1", "chrX2", "chrFrenMulti" }, names);
    }
}
