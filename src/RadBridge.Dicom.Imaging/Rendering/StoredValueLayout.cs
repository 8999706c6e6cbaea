namespace RadBridge.Dicom.Imaging.Rendering;

/// <summary>
/// Where the stored value sits in a sample of Bits Allocated width (PS3.5 8.1.1): Bits Stored bits ending at High Bit,
/// two's complement when Pixel Representation is 1. Bits outside are ignored (they may hold retired overlays).
/// </summary>
internal readonly struct StoredValueLayout
{
    private readonly int _shift;
    private readonly uint _mask;
    private readonly uint _signBit;

    public StoredValueLayout(PixelDataInfo info)
    {
        var bitsStored = Math.Clamp(info.BitsStored, 1, Math.Min(32, info.BitsAllocated));
        _shift = Math.Clamp(info.HighBit + 1 - bitsStored, 0, Math.Max(0, info.BitsAllocated - bitsStored));
        _mask = bitsStored >= 32 ? uint.MaxValue : (1u << bitsStored) - 1;
        _signBit = info.IsSigned ? 1u << (bitsStored - 1) : 0;
        BitsStored = bitsStored;
        MinValue = info.IsSigned ? -(long)_signBit : 0;
        MaxValue = info.IsSigned ? _signBit - 1L : _mask;
    }

    public int BitsStored { get; }
    public long MinValue { get; }
    public long MaxValue { get; }

    /// <summary>The stored value in a raw sample.</summary>
    public long Extract(uint raw)
    {
        var v = (raw >> _shift) & _mask;
        return _signBit != 0 && (v & _signBit) != 0 ? (long)v - ((long)_mask + 1) : v;
    }
}
