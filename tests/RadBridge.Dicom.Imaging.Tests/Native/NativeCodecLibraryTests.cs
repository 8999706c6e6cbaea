using RadBridge.Dicom.Imaging.Codecs;
using RadBridge.Dicom.Imaging.Codecs.HtJ2k;
using RadBridge.Dicom.Imaging.Codecs.Jpeg2000;

namespace RadBridge.Dicom.Imaging.Tests.Native;

public class NativeCodecLibraryTests
{
    [Fact]
    public void A_missing_library_gives_CodecUnavailableException_naming_the_Debian_package()
    {
        NativeCodecLibrary.AddCandidate("radbridge-test-missing", ["libradbridge-no-such-codec.so.9"], "libno-such-codec9");
        Assert.False(NativeCodecLibrary.IsAvailable("radbridge-test-missing"));
        var ex = Assert.Throws<CodecUnavailableException>(() => NativeCodecLibrary.Require("radbridge-test-missing", "Test codec"));
        Assert.Equal("libno-such-codec9", ex.DebianPackage);
        Assert.Contains("apt-get install libno-such-codec9", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Test codec", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_installed_libraries_load_and_report_their_versions()
    {
        Assert.True(NativeCodecLibrary.IsAvailable(NativeCodecLibrary.CharLS));
        Assert.StartsWith("2.5", Jpeg2000Codec.LibraryVersion(), StringComparison.Ordinal);
        // The shim is built by this solution's build (native/openjph-shim) and copied beside the test assembly.
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, NativeCodecLibrary.ShimFileName)));
        Assert.StartsWith("0.", HtJ2kCodec.LibraryVersion(), StringComparison.Ordinal);
    }
}
