using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.InteropServices;

namespace RadBridge.Dicom.Imaging.Codecs;

/// <summary>
/// Lazy loading of the native codec libraries from Debian's packages. [DllImport] declarations use the logical
/// names below; the one resolver of this assembly maps each to its sonames and, when none loads, the codec gets
/// a <see cref="CodecUnavailableException"/> that names the package to install instead of a crash at startup.
/// </summary>
public static class NativeCodecLibrary
{
    /// <summary>CharLS (JPEG-LS), package libcharls2.</summary>
    public const string CharLS = "radbridge-charls";
    /// <summary>OpenJPEG (JPEG 2000), package libopenjp2-7.</summary>
    public const string OpenJpeg = "radbridge-openjp2";
    /// <summary>libjpeg-turbo's TurboJPEG API, package libturbojpeg0.</summary>
    public const string TurboJpeg = "radbridge-turbojpeg";
    /// <summary>The project's C shim over OpenJPH (HTJ2K), built from native/ against libopenjph-dev.</summary>
    public const string OpenJphShim = "radbridge-openjph-shim";

    private sealed record Candidate(string[] Sonames, string Package);

    private static readonly ConcurrentDictionary<string, Candidate> Candidates = new(StringComparer.Ordinal)
    {
        [CharLS] = new(["libcharls.so.2", "libcharls.so"], "libcharls2"),
        [OpenJpeg] = new(["libopenjp2.so.7", "libopenjp2.so"], "libopenjp2-7"),
        [TurboJpeg] = new(["libturbojpeg.so.0", "libturbojpeg.so"], "libturbojpeg0"),
        [OpenJphShim] = new([], "libopenjph0.9 libopenjph-dev g++ (the shim is built by ./test.sh and ./radbridge)"),
    };

    private static readonly ConcurrentDictionary<string, IntPtr> Loaded = new(StringComparer.Ordinal);

    static NativeCodecLibrary() =>
        NativeLibrary.SetDllImportResolver(typeof(NativeCodecLibrary).Assembly, Resolve);

    /// <summary>
    /// Makes sure the library for <paramref name="logicalName"/> can be loaded before a codec calls into it.
    /// </summary>
    /// <exception cref="CodecUnavailableException">It cannot; the message names the Debian package.</exception>
    public static void Require(string logicalName, string codec)
    {
        if (Load(logicalName) != IntPtr.Zero) return;
        var c = Candidates[logicalName];
        throw new CodecUnavailableException(codec, c.Sonames.Length > 0 ? c.Sonames[0] : ShimFileName, c.Package);
    }

    /// <summary>
    /// Adds a logical name with its sonames and Debian package (tests use it to prove the unavailable path with a
    /// library that does not exist).
    /// </summary>
    internal static void AddCandidate(string logicalName, string[] sonames, string package) =>
        Candidates[logicalName] = new Candidate(sonames, package);

    /// <summary>True when the library loads (for tests and the conformance listing).</summary>
    public static bool IsAvailable(string logicalName) => Load(logicalName) != IntPtr.Zero;

    /// <summary>File name of the HTJ2K shim, looked up next to this assembly.</summary>
    public const string ShimFileName = "libradbridge_openjph.so";

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path) =>
        Candidates.ContainsKey(name) ? Load(name) : IntPtr.Zero;

    private static IntPtr Load(string logicalName) => Loaded.GetOrAdd(logicalName, static n =>
    {
        if (n == OpenJphShim)
        {
            var beside = Path.Combine(AppContext.BaseDirectory, ShimFileName);
            var env = Environment.GetEnvironmentVariable("RADBRIDGE_OPENJPH_SHIM");
            foreach (var p in new[] { env, beside })
                if (!string.IsNullOrEmpty(p) && NativeLibrary.TryLoad(p, out var h)) return h;
            return IntPtr.Zero;
        }
        foreach (var soname in Candidates[n].Sonames)
            if (NativeLibrary.TryLoad(soname, out var handle)) return handle;
        return IntPtr.Zero;
    });
}
