// Placeholder until tools/RadBridge.DictionaryGenerator output is merged.
namespace RadBridge.Dicom;

internal static partial class DicomDictionaryData
{
    internal static DicomDictionaryEntry[] CreateEntries() => [];
}
