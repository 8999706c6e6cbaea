using System.Text.RegularExpressions;

namespace RadBridge.DictionaryGenerator;

/// <summary>
/// The input files of the generator and the versions they come from (written into each generated header).
/// </summary>
/// <param name="DicomDic">DCMTK's standard data dictionary, dicom.dic (tags, VRs, VMs, keywords, retired flags).</param>
/// <param name="PrivateDic">DCMTK's private tag dictionary, private.dic.</param>
/// <param name="DcmtkVersion">The DCMTK release these files come from (e.g. "3.6.7"), or "unknown".</param>
/// <param name="PydicomDicomDict">pydicom's _dicom_dict.py: PS3.6 attribute names and the PS3.6 forms of repeating tags.</param>
/// <param name="PydicomUidDict">pydicom's _uid_dict.py: PS3.6 Annex A UID registry (UID, name, type, retired, keyword).</param>
/// <param name="PydicomVersion">pydicom's version (e.g. "2.3.1").</param>
/// <param name="PydicomStandardEdition">The edition of the DICOM standard pydicom transcribed (e.g. "2022a").</param>
public sealed record DictionarySources(
    string DicomDic,
    string PrivateDic,
    string DcmtkVersion,
    string PydicomDicomDict,
    string PydicomUidDict,
    string PydicomVersion,
    string PydicomStandardEdition)
{
    /// <summary>Where Debian's libdcmtkNN package installs dicom.dic and private.dic.</summary>
    public const string DcmtkShareRoot = "/usr/share";

    /// <summary>Where Debian's python3-pydicom package installs pydicom.</summary>
    public const string DefaultPydicomDirectory = "/usr/lib/python3/dist-packages/pydicom";

    /// <summary>
    /// Finds the inputs at their Debian locations (packages libdcmtk17 and python3-pydicom), with optional
    /// overrides. Returns null and lists what is missing when an input cannot be found.
    /// </summary>
    public static DictionarySources? Discover(
        out IReadOnlyList<string> missing,
        string? dicomDic = null,
        string? privateDic = null,
        string? pydicomDirectory = null,
        string? dcmtkVersion = null)
    {
        var problems = new List<string>();
        var dcmtkDir = FindDcmtkDataDirectory();
        dicomDic ??= dcmtkDir is null ? null : Path.Combine(dcmtkDir, "dicom.dic");
        privateDic ??= dicomDic is null ? null : Path.Combine(Path.GetDirectoryName(dicomDic)!, "private.dic");
        pydicomDirectory ??= DefaultPydicomDirectory;
        var dicomDict = Path.Combine(pydicomDirectory, "_dicom_dict.py");
        var uidDict = Path.Combine(pydicomDirectory, "_uid_dict.py");
        var versionFile = Path.Combine(pydicomDirectory, "_version.py");

        Require(dicomDic, "dicom.dic (Debian package libdcmtk17, under /usr/share/libdcmtk*/)", problems);
        Require(privateDic, "private.dic (Debian package libdcmtk17)", problems);
        Require(dicomDict, "pydicom/_dicom_dict.py (Debian package python3-pydicom)", problems);
        Require(uidDict, "pydicom/_uid_dict.py (Debian package python3-pydicom)", problems);
        Require(versionFile, "pydicom/_version.py (Debian package python3-pydicom)", problems);
        missing = problems;
        if (problems.Count > 0) return null;

        var versionText = File.ReadAllText(versionFile!);
        return new DictionarySources(
            dicomDic!,
            privateDic!,
            dcmtkVersion ?? DetectDcmtkVersion(Path.GetDirectoryName(dicomDic!)!),
            dicomDict,
            uidDict,
            PythonAssignment(versionText, "__version__") ?? "unknown",
            PythonAssignment(versionText, "__dicom_version__") ?? "unknown");
    }

    private static void Require(string? path, string what, List<string> problems)
    {
        if (path is null || !File.Exists(path)) problems.Add(path is null ? what : $"{what}: {path} not found");
    }

    private static readonly string[] LibraryDirectories = ["/usr/lib", "/usr/lib64"];

    /// <summary>The newest /usr/share/libdcmtk*/ that holds a dicom.dic (ordinal order of the directory names).</summary>
    private static string? FindDcmtkDataDirectory()
    {
        if (!Directory.Exists(DcmtkShareRoot)) return null;
        return Directory.GetDirectories(DcmtkShareRoot, "libdcmtk*")
            .Where(d => File.Exists(Path.Combine(d, "dicom.dic")))
            .OrderBy(d => d, StringComparer.Ordinal)
            .LastOrDefault();
    }

    /// <summary>
    /// dicom.dic does not name the DCMTK release. Debian installs it from libdcmtkNN, which also ships
    /// libdcmdata.so.NN.X.Y.Z: the file name carries the release. Falls back to DCMTK's osconfig.h (libdcmtk-dev).
    /// </summary>
    private static string DetectDcmtkVersion(string dataDirectory)
    {
        var soVersion = Regex.Match(Path.GetFileName(dataDirectory), @"^libdcmtk(\d+)$", RegexOptions.CultureInvariant);
        if (soVersion.Success)
        {
            // Debian's multiarch directories (/usr/lib/x86_64-linux-gnu, …), then the plain ones.
            var libDirs = LibraryDirectories.Where(Directory.Exists)
                .SelectMany(d => Directory.GetDirectories(d, "*-linux-*").Order(StringComparer.Ordinal).Append(d));
            foreach (var libDir in libDirs)
            {
                var candidates = Directory.EnumerateFiles(libDir, $"libdcmdata.so.{soVersion.Groups[1].Value}.*")
                    .Select(f => Regex.Match(Path.GetFileName(f), @"^libdcmdata\.so\.\d+\.(\d+\.\d+\.\d+)$", RegexOptions.CultureInvariant))
                    .Where(m => m.Success)
                    .Select(m => m.Groups[1].Value)
                    .Distinct(StringComparer.Ordinal)
                    .ToList();
                if (candidates.Count == 1) return candidates[0];
            }
        }
        const string OsConfig = "/usr/include/dcmtk/config/osconfig.h";
        if (File.Exists(OsConfig))
        {
            var m = Regex.Match(File.ReadAllText(OsConfig), "#define PACKAGE_VERSION \"([^\"]+)\"", RegexOptions.CultureInvariant);
            if (m.Success) return m.Groups[1].Value;
        }
        return "unknown";
    }

    private static string? PythonAssignment(string text, string name)
    {
        var m = Regex.Match(text, "^" + Regex.Escape(name) + @"\s*(?::\s*str\s*)?=\s*['""]([^'""]+)['""]",
            RegexOptions.Multiline | RegexOptions.CultureInvariant);
        return m.Success ? m.Groups[1].Value : null;
    }
}
