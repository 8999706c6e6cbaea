using System.Diagnostics;
using System.Globalization;
using System.Xml.Linq;

namespace RadBridge.Dicom.Tests.Xml;

/// <summary>
/// Our Native DICOM Model against DCMTK's <c>dcm2xml --native-format</c> (text converted to UTF-8, binary values as
/// base64), attribute by attribute.
/// </summary>
/// <remarks>
/// DCMTK 3.6.7 choices accounted for (checked in its dcvrobow.cc / dcvrof.cc and by dcmdump):
/// <list type="bullet">
/// <item>InlineBinary of OW, OF, OD, OL, OV is written with big-endian words ("Base64 encoder requires big endian input
/// data"); we write the value little endian, as DICOMweb bulk data is. Compared after swapping DCMTK's words.</item>
/// <item>--convert-to-utf8 rewrites Specific Character Set to ISO_IR 192 (adding it where absent); we keep the
/// source's, as PS3.18 F.2.2 note 3 asks. (0008,0005) is not compared.</item>
/// <item>FL and FD are printed with 9 and 17 significant digits; we print the shortest form that reads back to the same
/// number. Compared as numbers.</item>
/// <item>An odd-length value is padded with one byte; we keep the value as read.</item>
/// <item>Retired attributes get no keyword; PS3.6 still gives them one, which we write.</item>
/// <item>A Person Name whose phonetic group is empty but delimited ("Wang^XiaoDong=王^小東=") gets the ideographic
/// components repeated under &lt;Phonetic&gt;; the value has none (pydicom and dcmdump agree).</item>
/// </list>
/// DCMTK cannot convert ISO 2022 IR 87 (see the samples' README), so such files are not used.
/// </remarks>
public class DcmtkCrossCheckTests
{
    public static TheoryData<string> Samples => ["CT_small.dcm", "MR_small.dcm", "chrX1.dcm", "chrX2.dcm", "chrFrenMulti.dcm", "test-SR.dcm", "rtplan.dcm", "nested_priv_SQ.dcm"];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Our_XML_matches_dcm2xml_attribute_by_attribute(string sample)
    {
        var path = TestPaths.Sample(sample);
        var ours = XDocument.Parse(DicomXml.Serialize(DicomFile.Open(path).Dataset, new DicomXmlOptions { BulkDataUriFactory = null }));
        var theirs = XDocument.Parse(Dcm2Xml(path));

        var differences = new List<string>();
        CompareDataset(ours.Root!, theirs.Root!, "", differences);

        Assert.True(differences.Count == 0, sample + ":\n" + string.Join("\n", differences.Take(20)));
    }

    private static void CompareDataset(XElement ours, XElement theirs, string where, List<string> differences)
    {
        var a = ours.Elements("DicomAttribute").Where(e => Key(e) != "00080005").ToList();
        var b = theirs.Elements("DicomAttribute").Where(e => Key(e) != "00080005").ToList();
        var keysA = a.Select(Key).ToList();
        var keysB = b.Select(Key).ToList();
        foreach (var k in keysB.Except(keysA)) differences.Add($"{where}/{k}: only dcm2xml has it");
        foreach (var k in keysA.Except(keysB)) differences.Add($"{where}/{k}: only we have it");
        if (!keysA.Intersect(keysB).SequenceEqual(keysB.Intersect(keysA))) differences.Add($"{where}: attribute order differs");
        foreach (var (x, y) in a.Join(b, Key, Key, (x, y) => (x, y)))
        {
            var at = $"{where}/{Key(x)}";
            foreach (var name in new[] { "vr", "keyword", "privateCreator" })
            {
                var mine = (string?)x.Attribute(name);
                var dcmtk = (string?)y.Attribute(name);
                if (name == "keyword" && dcmtk is null && DicomDictionary.Default.Find(DicomTag.Parse((string)x.Attribute("tag")!)) is { IsRetired: true }) continue;
                if (mine != dcmtk) differences.Add($"{at}: {name} '{mine}' vs dcm2xml '{dcmtk}'");
            }
            CompareChildren(x, y, (string)x.Attribute("vr")!, at, differences);
        }
    }

    // Private data elements are "gggg00ee" under several creators, so the creator is part of the key.
    private static string Key(XElement a) => (string)a.Attribute("tag")! + ((string?)a.Attribute("privateCreator") is { } c ? "@" + c : "");

    private static void CompareChildren(XElement x, XElement y, string vr, string at, List<string> differences)
    {
        var ours = x.Elements().ToList();
        var theirs = y.Elements().ToList();
        if (ours.Count != theirs.Count)
        {
            differences.Add($"{at}: {ours.Count} children vs dcm2xml {theirs.Count}");
            return;
        }
        for (var i = 0; i < ours.Count; i++)
        {
            var o = ours[i];
            var t = theirs[i];
            var place = $"{at}/{o.Name.LocalName}[{(string?)o.Attribute("number")}]";
            if (o.Name != t.Name || (string?)o.Attribute("number") != (string?)t.Attribute("number"))
            {
                differences.Add($"{place}: vs dcm2xml {t.Name.LocalName}[{(string?)t.Attribute("number")}]");
                continue;
            }
            switch (o.Name.LocalName)
            {
                case "Item":
                    CompareDataset(o, t, place, differences);
                    break;
                case "PersonName":
                    foreach (var group in new[] { "Alphabetic", "Ideographic", "Phonetic" })
                    {
                        var og = o.Element(group);
                        var tg = t.Element(group);
                        if (group == "Phonetic" && og is null && tg is not null && Components(tg) == Components(o.Element("Ideographic"))) continue;
                        if (Components(og) != Components(tg)) differences.Add($"{place}/{group}: {Components(og)} vs dcm2xml {Components(tg)}");
                    }
                    break;
                case "InlineBinary":
                    var ourBytes = Convert.FromBase64String(o.Value);
                    var theirBytes = LittleEndian(Convert.FromBase64String(t.Value), vr);
                    if (ourBytes.Length % 2 == 1 && theirBytes.Length == ourBytes.Length + 1) theirBytes = theirBytes[..^1];
                    if (!ourBytes.AsSpan().SequenceEqual(theirBytes)) differences.Add($"{place}: bytes differ");
                    break;
                case "Value" when vr is "FL" or "FD":
                    var same = vr == "FL"
                        ? float.Parse(o.Value, CultureInfo.InvariantCulture).Equals(float.Parse(t.Value, CultureInfo.InvariantCulture))
                        : double.Parse(o.Value, CultureInfo.InvariantCulture).Equals(double.Parse(t.Value, CultureInfo.InvariantCulture));
                    if (!same) differences.Add($"{place}: {o.Value} vs dcm2xml {t.Value}");
                    break;
                default:
                    if (o.Value != t.Value) differences.Add($"{place}: '{o.Value}' vs dcm2xml '{t.Value}'");
                    break;
            }
        }
    }

    private static byte[] LittleEndian(byte[] bigEndianWords, string vr)
    {
        var unit = vr switch { "OW" => 2, "OF" or "OL" => 4, "OD" or "OV" => 8, _ => 1 };
        for (var i = 0; i + unit <= bigEndianWords.Length; i += unit) Array.Reverse(bigEndianWords, i, unit);
        return bigEndianWords;
    }

    private static string Components(XElement? group) =>
        group is null ? "(none)" : string.Join("|", group.Elements().Select(c => $"{c.Name.LocalName}={c.Value}"));

    private static string Dcm2Xml(string path)
    {
        var start = new ProcessStartInfo("dcm2xml")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        foreach (var a in new[] { "--native-format", "--convert-to-utf8", "--encode-base64", "--load-all", path }) start.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("dcm2xml (DCMTK) is not installed: ./test.sh installs it", ex);
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var xml = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException($"dcm2xml failed (exit {process.ExitCode}): {stderr.Result}");
            return xml;
        }
    }
}
