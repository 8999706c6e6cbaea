namespace RadBridge.Dicom.Tests.Conformance;

/// <summary>
/// Compares two data sets element by element at every level: tags, VRs (optionally), values byte for byte,
/// sequence items, encapsulated fragments. Group lengths are left out (the writer drops them: PS3.5 §7.2).
/// </summary>
internal static class DatasetComparison
{
    public static List<string> Differences(DicomDataset expected, DicomDataset actual, bool compareVR)
    {
        var differences = new List<string>();
        Compare(expected, actual, compareVR, "", differences);
        return differences;
    }

    /// <summary>
    /// Equal bytes; or, for a value of odd length (non-conformant input), the same bytes padded to even length with
    /// the VR's padding byte, which the writer must add (PS3.5 §7.1.1).
    /// </summary>
    private static bool SameValue(DicomValueElement expected, ReadOnlySpan<byte> actual)
    {
        var bytes = expected.Buffer.GetMemory().Span;
        if (bytes.SequenceEqual(actual)) return true;
        return (bytes.Length & 1) == 1 && actual.Length == bytes.Length + 1 && actual.StartsWith(bytes)
            && actual[^1] == (expected.VR == DicomVR.None ? DicomVR.UN : expected.VR).PaddingByte();
    }

    private static void Compare(DicomDataset expected, DicomDataset actual, bool compareVR, string path, List<string> differences)
    {
        var a = expected.Where(e => !e.Tag.IsGroupLength).ToList();
        var b = actual.Where(e => !e.Tag.IsGroupLength).ToList();
        var tagsA = a.Select(e => e.Tag).ToList();
        var tagsB = b.Select(e => e.Tag).ToList();
        if (!tagsA.SequenceEqual(tagsB))
        {
            differences.Add($"{path}: tags differ; only in the first: {string.Join(" ", tagsA.Except(tagsB))}; only in the second: {string.Join(" ", tagsB.Except(tagsA))}");
            return;
        }
        for (var i = 0; i < a.Count; i++)
        {
            var here = $"{path}{a[i].Tag}";
            if (compareVR && a[i].VR != b[i].VR) differences.Add($"{here}: VR {a[i].VR.Code()} became {b[i].VR.Code()}");
            switch (a[i], b[i])
            {
                case (DicomValueElement x, DicomValueElement y):
                    if (!SameValue(x, y.Buffer.GetMemory().Span))
                        differences.Add($"{here}: value differs ({x.Length} and {y.Length} bytes)");
                    break;
                case (DicomSequence x, DicomSequence y):
                    if (x.Items.Count != y.Items.Count)
                    {
                        differences.Add($"{here}: {x.Items.Count} items became {y.Items.Count}");
                        break;
                    }
                    for (var k = 0; k < x.Items.Count; k++) Compare(x.Items[k], y.Items[k], compareVR, $"{here}[{k}].", differences);
                    break;
                case (DicomFragmentSequence x, DicomFragmentSequence y):
                    if (!x.OffsetTable.GetMemory().Span.SequenceEqual(y.OffsetTable.GetMemory().Span))
                        differences.Add($"{here}: Basic Offset Table differs");
                    if (x.Fragments.Count != y.Fragments.Count)
                        differences.Add($"{here}: {x.Fragments.Count} fragments became {y.Fragments.Count}");
                    else if (x.Fragments.Zip(y.Fragments).Any(f => !f.First.GetMemory().Span.SequenceEqual(f.Second.GetMemory().Span)))
                        differences.Add($"{here}: a fragment differs");
                    break;
                default:
                    differences.Add($"{here}: {a[i].GetType().Name} became {b[i].GetType().Name}");
                    break;
            }
        }
    }
}
