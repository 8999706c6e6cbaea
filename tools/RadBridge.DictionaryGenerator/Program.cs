using System.Text;
using RadBridge.DictionaryGenerator;

// Usage: dotnet run --project tools/RadBridge.DictionaryGenerator -- [--dicom-dic PATH] [--private-dic PATH]
//        [--pydicom DIR] [--dcmtk-version X.Y.Z] [--out DIR] [--check]
// --check writes nothing and exits 1 when the checked-in files differ from what the sources give.
string? dicomDic = null, privateDic = null, pydicom = null, dcmtkVersion = null, outDir = null;
var check = false;
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--dicom-dic": dicomDic = Next(); break;
        case "--private-dic": privateDic = Next(); break;
        case "--pydicom": pydicom = Next(); break;
        case "--dcmtk-version": dcmtkVersion = Next(); break;
        case "--out": outDir = Next(); break;
        case "--check": check = true; break;
        default:
            await Console.Error.WriteLineAsync($"unknown argument {args[i]}").ConfigureAwait(false);
            return 2;
    }
}

var sources = DictionarySources.Discover(out var missing, dicomDic, privateDic, pydicom, dcmtkVersion);
if (sources is null)
{
    await Console.Error.WriteLineAsync("missing sources (apt-get install libdcmtk17 python3-pydicom):").ConfigureAwait(false);
    foreach (var m in missing) await Console.Error.WriteLineAsync("  " + m).ConfigureAwait(false);
    return 2;
}

outDir ??= Path.Combine(FindRepositoryRoot() ?? Directory.GetCurrentDirectory(), DicomDictionaryGenerator.OutputDirectory);
var stale = 0;
foreach (var file in DicomDictionaryGenerator.Generate(sources))
{
    var path = Path.Combine(outDir, file.FileName);
    var bytes = new UTF8Encoding(false).GetBytes(file.Text);
    var current = File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes);
    if (check)
    {
        if (!current) stale++;
        Console.WriteLine($"{(current ? "current" : "STALE  ")} {path}");
        continue;
    }
    if (!current) await File.WriteAllBytesAsync(path, bytes).ConfigureAwait(false);
    Console.WriteLine($"{(current ? "unchanged" : "wrote    ")} {path}");
}
return stale == 0 ? 0 : 1;

static string? FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "RadBridge.slnx"))) return dir.FullName;
    }
    return null;
}
