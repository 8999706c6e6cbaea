using System.Text.RegularExpressions;

namespace RadBridge.Dicom.Network.Services;

/// <summary>The Storage SOP Classes (PS3.4 Annex B), taken from the generated UID registry, never typed by hand.</summary>
public static partial class StorageSopClasses
{
    private static readonly Lazy<IReadOnlyList<string>> AllUids = new(Load);

    /// <summary>Every Storage SOP Class UID of PS3.6 (current and retired), except DICOMDIR and storage commitment.</summary>
    public static IReadOnlyList<string> All => AllUids.Value;

    /// <summary>True when the UID is a Storage SOP Class.</summary>
    public static bool Contains(string uid) => All.Contains(uid, StringComparer.Ordinal);

    private static List<string> Load() =>
        DicomUidRegistry.All
            .Where(u => u.Type == DicomUidType.SopClass && StorageKeyword().IsMatch(u.Keyword)
                && !u.Keyword.StartsWith("StorageCommitment", StringComparison.Ordinal)
                && u.Keyword != "MediaStorageDirectoryStorage")
            .Select(u => u.Uid)
            .ToList();

    // "CTImageStorage", "DigitalXRayImageStorageForPresentation", "TextSRStorageTrial", "NuclearMedicineImageStorageRetired".
    [GeneratedRegex("Storage(ForPresentation|ForProcessing|Retired|Trial)?$", RegexOptions.CultureInvariant)]
    private static partial Regex StorageKeyword();
}
