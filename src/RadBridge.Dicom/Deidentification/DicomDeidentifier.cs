using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace RadBridge.Dicom.Deidentification;

/// <summary>
/// De-identifies DICOM data sets, files and folders with the PS3.15 Annex E Basic Application Level
/// Confidentiality Profile and the options chosen in <see cref="DeidentificationOptions"/>, following
/// Table E.1-1 as shipped in Data/confidentiality-profile.tsv. One instance keeps one <see cref="UidMapper"/>,
/// so every file it processes gets the same replacement for the same original UID.
/// </summary>
/// <remarks>
/// <para>Table E.1-1 is applied to every attribute at every nesting level. Where it leaves a choice:</para>
/// <list type="bullet">
/// <item>Compound actions (Z/D, X/Z, X/D, X/Z/D) depend on the attribute's Type in the IOD, which this class does not
/// know; it picks what is valid for any Type: X/Z gives Z, and Z/D, X/D, X/Z/D give D (a dummy) unless the original
/// is empty, which stays empty. X/Z/U* keeps the reference sequence and replaces the UIDs inside.</item>
/// <item>D on a sequence keeps its items and replaces their values with dummies, except code sequence attributes and
/// CS values (defined terms), so the structure the IOD requires survives.</item>
/// <item>C (clean) on text keeps the value when <see cref="DeidentificationOptions.DescriptorCleaner"/> (or, without
/// one, a search for the data set's identifying values — names, IDs, dates, institution…) finds nothing to remove;
/// otherwise, and for values that cannot be cleaned (overlay and curve bitmaps), the Basic Profile action applies.
/// The built-in cleaning cannot recognise identifying text it has no value for (another person's name in a comment).</item>
/// <item>Removing Overlay Data (60xx,3000) removes its whole overlay group, so no incomplete Overlay Plane Module
/// is left.</item>
/// <item>Private attributes are removed, except under the Retain Safe Private option those listed in
/// <see cref="DeidentificationOptions.SafePrivateAttributes"/> (none by default).</item>
/// </list>
/// <para>Attributes the table does not list are handled so that no identifying value survives: dates and date-times
/// (other than code and template versions) are replaced with dummies, shifted, or kept, per the longitudinal options;
/// times of day are replaced with dummies unless a longitudinal option is chosen; person names are replaced; instance
/// UIDs are replaced unless they are registered DICOM UIDs or name a class, transfer syntax or coding scheme; other
/// text is kept unless it contains one of the identifying values found in the data set.</para>
/// <para>Added: Patient Identity Removed (0012,0062) YES, De-identification Method (0012,0063), De-identification
/// Method Code Sequence (0012,0064) with the CID 7050 codes of the profile and the options used, and Longitudinal
/// Temporal Information Modified (0028,0303). In files, the File Meta's Media Storage SOP Instance UID follows the
/// data set, and the Source AE Title (unless device identity is retained) and private information are dropped.</para>
/// <para>A DICOMDIR is refused (<see cref="DicomException"/>; skipped in folders): its records locate files by byte
/// offsets and by file IDs that often embed the patient ID, so it has to be rebuilt for the de-identified files.</para>
/// </remarks>
public sealed class DicomDeidentifier
{
    private readonly ConcurrentDictionary<string, int> _randomShifts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _randomPseudonyms = new(StringComparer.Ordinal);
    private readonly byte[]? _secretKey;

    /// <summary>A de-identifier with the given options (Basic Profile when null) and UID mapper (a new one from the options' secret when null).</summary>
    /// <exception cref="ArgumentException">Contradictory options.</exception>
    public DicomDeidentifier(DeidentificationOptions? options = null, UidMapper? uidMapper = null, ConfidentialityProfile? profile = null)
    {
        Options = options ?? DeidentificationOptions.Basic;
        Options.Validate();
        UidMapper = uidMapper ?? new UidMapper(Options.Secret);
        Profile = profile ?? ConfidentialityProfile.Standard;
        _secretKey = Options.Secret is null ? null : Encoding.UTF8.GetBytes(Options.Secret);
    }

    /// <summary>The options in force.</summary>
    public DeidentificationOptions Options { get; }

    /// <summary>The UID mapping shared by everything this instance de-identifies.</summary>
    public UidMapper UidMapper { get; }

    /// <summary>The profile table applied.</summary>
    public ConfidentialityProfile Profile { get; }

    /// <summary>De-identifies a data set in place.</summary>
    /// <exception cref="DicomException">The data set is a DICOMDIR.</exception>
    public DatasetDeidentificationResult Deidentify(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return new DeidentificationRun(this).Run(dataset);
    }

    /// <summary>De-identifies a file's data set in place and cleans its File Meta (see the class remarks).</summary>
    public DatasetDeidentificationResult Deidentify(DicomFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var result = Deidentify(file.Dataset);
        var meta = file.FileMetaInformation;
        if (!Options.RetainDeviceIdentity)
        {
            meta.Remove(new DicomTag(0x0002, 0x0016));
            meta.Remove(new DicomTag(0x0002, 0x0017));
            meta.Remove(new DicomTag(0x0002, 0x0018));
        }
        meta.Remove(new DicomTag(0x0002, 0x0100));
        meta.Remove(new DicomTag(0x0002, 0x0102));
        // Media Storage SOP Instance UID (0002,0003) is U in Table E.1-1. The writer rebuilds it from the data set; a
        // data set without a SOP Instance UID would let the original through, so it is mapped here as well.
        var mediaUid = new DicomTag(0x0002, 0x0003);
        if (file.Dataset.GetString(new DicomTag(0x0008, 0x0018)) is { Length: > 0 } sop)
        {
            if (meta.Count > 0) meta.AddOrUpdate(mediaUid, DicomVR.UI, sop);
        }
        else if (!Options.RetainUids && meta.GetString(mediaUid) is { Length: > 0 } original)
        {
            meta.AddOrUpdate(mediaUid, DicomVR.UI, UidMapper.Map(original));
        }
        return result;
    }

    /// <summary>Reads a DICOM file, de-identifies it and writes it (durably) to <paramref name="outputPath"/>, in the same transfer syntax.</summary>
    /// <exception cref="DicomException">The input is not DICOM (<see cref="DicomReadException"/>), or is a DICOMDIR.</exception>
    public FileDeidentificationResult DeidentifyFile(string inputPath, string outputPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(inputPath);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        var samePath = string.Equals(Path.GetFullPath(inputPath), Path.GetFullPath(outputPath), StringComparison.Ordinal);
        // Values of a file opened from disk stay there until written; overwriting that file needs them in memory.
        DicomFile file;
        if (samePath)
        {
            using var buffer = new MemoryStream(File.ReadAllBytes(inputPath));
            file = DicomFile.Read(buffer);
        }
        else
        {
            file = DicomFile.Open(inputPath);
        }
        var result = Deidentify(file);
        var directory = Path.GetDirectoryName(Path.GetFullPath(outputPath));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        file.Save(outputPath);
        return new FileDeidentificationResult(inputPath, outputPath, result);
    }

    /// <summary>
    /// De-identifies every DICOM file under <paramref name="inputDirectory"/> (recursively) into the same relative
    /// paths under <paramref name="outputDirectory"/>. Files that are not DICOM, or cannot be read whole, and
    /// DICOMDIRs are skipped and listed in the report.
    /// All files share this instance's UID mapping, so studies and references stay consistent.
    /// </summary>
    public DeidentificationReport DeidentifyDirectory(string inputDirectory, string outputDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(inputDirectory);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        var input = Path.GetFullPath(inputDirectory);
        var output = Path.GetFullPath(outputDirectory);
        if (!Directory.Exists(input)) throw new DirectoryNotFoundException($"no folder {input}");
        if (string.Equals(input, output, StringComparison.Ordinal)) throw new ArgumentException("the output folder must differ from the input folder", nameof(outputDirectory));
        var outputPrefix = output.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        // Listed before writing anything, so an output folder inside the input folder is never read back.
        var files = Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(outputPrefix, StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(input, f))
            .Order(StringComparer.Ordinal)
            .ToList();
        var done = new List<FileDeidentificationResult>();
        var skipped = new List<SkippedFile>();
        foreach (var relative in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var source = Path.Combine(input, relative);
            try
            {
                done.Add(DeidentifyFile(source, Path.Combine(output, relative)));
            }
            catch (DicomException ex)
            {
                skipped.Add(new SkippedFile(source, ex.Message));
            }
        }
        return new DeidentificationReport { Files = done, Skipped = skipped, DistinctUidsMapped = UidMapper.Count };
    }

    /// <summary>The date shift in days for a patient: the fixed one, or derived from the secret, or random per patient for this instance.</summary>
    internal int DateShiftFor(string patientKey)
    {
        if (Options.DateShiftDays is { } fixedDays) return fixedDays;
        var range = (uint)Options.DateShiftRangeDays;
        if (_secretKey is not null) return -(int)(BitConverter.ToUInt32(Derive("date-shift", patientKey), 0) % range + 1);
        return _randomShifts.GetOrAdd(patientKey, _ => -(int)((uint)RandomNumberGenerator.GetInt32(int.MaxValue) % range + 1));
    }

    /// <summary>The pseudonym replacing a Patient ID: "ANON" and 12 hex digits, derived from the secret or random per original ID.</summary>
    internal string PseudonymFor(string originalId)
    {
        if (_secretKey is not null) return "ANON" + Convert.ToHexString(Derive("patient-id", originalId), 0, 6);
        return _randomPseudonyms.GetOrAdd(originalId, _ => "ANON" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)));
    }

    // HMAC-SHA256 under the secret, with a purpose label so one secret never yields the same bytes for two uses.
    private byte[] Derive(string purpose, string value) =>
        HMACSHA256.HashData(_secretKey!, Encoding.UTF8.GetBytes(purpose + "\n" + value));
}
