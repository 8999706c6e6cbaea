using System.Globalization;

namespace RadBridge.Dicom.Network.Tests;

/// <summary>
/// Element-by-element comparison of two data sets (tags, VRs, value bytes, sequence items, fragments), for peers that
/// re-serialise what they receive (Orthanc writes through DCMTK) so the bytes may differ where the values do not.
/// </summary>
internal static class DatasetComparer
{
    /// <summary>
    /// The differences, empty when every element agrees. Three changes DCMTK (Orthanc's DICOM layer) makes whenever it
    /// writes a data set are not differences: group lengths (gggg,0000) dropped or recomputed (they are retired, PS3.5
    /// 7.2), Data Set Trailing Padding (FFFC,FFFC) dropped, and encapsulated Pixel Data written as OB where the file said
    /// OW (PS3.5 A.4 makes it OB). And a fourth when it stores: a text value's trailing spaces (insignificant, PS3.5
    /// 6.2) are trimmed to the one padding byte an odd length needs.
    /// </summary>
    public static List<string> Differences(DicomDataset expected, DicomDataset actual)
    {
        var differences = new List<string>();
        Compare(expected, actual, "", differences);
        return differences;
    }

    private static ReadOnlySpan<byte> Value(DicomValueElement e)
    {
        var bytes = e.Buffer.GetMemory().Span;
        return e.VR.IsText() ? bytes.TrimEnd((byte)' ') : bytes;
    }

    private static string Show(DicomBuffer buffer)
    {
        var bytes = buffer.GetMemory().Span;
        return $"[{bytes.Length.ToString(CultureInfo.InvariantCulture)}] {Convert.ToHexString(bytes[..Math.Min(bytes.Length, 48)])}";
    }

    private static bool Compared(DicomElement e) => e.Tag.Element != 0 && e.Tag != TrailingPadding;

    private static readonly DicomTag TrailingPadding = new(0xFFFC, 0xFFFC);

    private static void Compare(DicomDataset expected, DicomDataset actual, string path, List<string> differences)
    {
        var a = expected.Where(Compared).ToList();
        var b = actual.Where(Compared).ToDictionary(e => e.Tag);
        foreach (var extra in b.Keys.Except(a.Select(e => e.Tag))) differences.Add($"{path}{extra}: only in the received data set");
        foreach (var left in a)
        {
            var at = path + left.Tag.ToString();
            if (!b.TryGetValue(left.Tag, out var right))
            {
                differences.Add($"{at}: missing");
                continue;
            }
            if (left.VR != right.VR && !(left is DicomFragmentSequence && right is DicomFragmentSequence))
            {
                differences.Add($"{at}: VR {left.VR} became {right.VR}");
                continue;
            }
            switch (left, right)
            {
                case (DicomValueElement x, DicomValueElement y):
                    if (!Value(x).SequenceEqual(Value(y))) differences.Add($"{at}: value {Show(x.Buffer)} became {Show(y.Buffer)}");
                    break;
                case (DicomSequence x, DicomSequence y):
                    if (x.Items.Count != y.Items.Count)
                    {
                        differences.Add($"{at}: {x.Items.Count} items became {y.Items.Count}");
                        break;
                    }
                    for (var i = 0; i < x.Items.Count; i++) Compare(x.Items[i], y.Items[i], $"{at}[{i.ToString(CultureInfo.InvariantCulture)}].", differences);
                    break;
                case (DicomFragmentSequence x, DicomFragmentSequence y):
                    if (!x.OffsetTable.GetMemory().Span.SequenceEqual(y.OffsetTable.GetMemory().Span)) differences.Add($"{at}: basic offset table differs");
                    if (x.Fragments.Count != y.Fragments.Count || !x.Fragments.Zip(y.Fragments).All(p => p.First.GetMemory().Span.SequenceEqual(p.Second.GetMemory().Span)))
                        differences.Add($"{at}: fragments differ");
                    break;
                default:
                    differences.Add($"{at}: {left.GetType().Name} became {right.GetType().Name}");
                    break;
            }
        }
    }
}
