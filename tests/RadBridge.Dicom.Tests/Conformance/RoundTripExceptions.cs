namespace RadBridge.Dicom.Tests.Conformance;

/// <summary>Why a conformant sample's data set bytes may differ when our writer rewrites it.</summary>
internal enum RewriteDifference
{
    /// <summary>
    /// The input has group length elements (gggg,0000), retired since 1993; the writer drops them (PS3.5 §7.2).
    /// Checked exactly: the output is the input without its top-level group lengths.
    /// </summary>
    GroupLengthsDropped,

    /// <summary>The input has a value of odd length (not allowed, PS3.5 §7.1.1); the writer pads it to even length.</summary>
    OddLengthPadded,

    /// <summary>
    /// An undefined-length UN holding an Implicit VR sequence (PS3.5 §6.2.2, CP-246) is written as the SQ it is,
    /// its items in the data set's own encoding, as DCMTK does when it reads such a UN as a sequence.
    /// </summary>
    UNSequenceWrittenAsSQ,
}

/// <summary>Conformant samples whose data set bytes our writer does not reproduce exactly, each with the reason.</summary>
internal static class RoundTripExceptions
{
    public static readonly IReadOnlyDictionary<string, RewriteDifference> NotByteIdentical = new Dictionary<string, RewriteDifference>(StringComparer.Ordinal)
    {
        ["CR-MONO1-10-chest.dcm"] = RewriteDifference.GroupLengthsDropped,
        ["ExplVR_BigEnd.dcm"] = RewriteDifference.GroupLengthsDropped,
        ["JPEGLossless_1s_1f_u_16_12.dcm"] = RewriteDifference.GroupLengthsDropped,
        ["NM-MONO2-16-13x-heart.dcm"] = RewriteDifference.GroupLengthsDropped,
        ["OT-PAL-8-face.dcm"] = RewriteDifference.GroupLengthsDropped,
        ["TOSHIBA_J2K_SIZ0_PixRep1.dcm"] = RewriteDifference.GroupLengthsDropped,
        ["US-PAL-8-10x-echo.dcm"] = RewriteDifference.GroupLengthsDropped,
        ["chrJapMultiExplicitIR6.dcm"] = RewriteDifference.GroupLengthsDropped,
        ["color-pl.dcm"] = RewriteDifference.GroupLengthsDropped,
        ["jpeg-ls-Palette.dcm"] = RewriteDifference.GroupLengthsDropped,
        ["nested_priv_SQ.dcm"] = RewriteDifference.OddLengthPadded,
        ["UN_sequence.dcm"] = RewriteDifference.UNSequenceWrittenAsSQ,
    };
}
