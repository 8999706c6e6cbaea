using System.Buffers.Binary;

namespace RadBridge.Dicom;

/// <summary>What the parser needs from its driver after a step.</summary>
internal enum ParseStatus
{
    /// <summary>At least <see cref="ParseStep.Argument"/> bytes must be available from the current position.</summary>
    NeedMore,
    /// <summary>Skip <see cref="ParseStep.Argument"/> bytes (a bulk value left on disk).</summary>
    Skip,
    /// <summary>The data set is complete.</summary>
    Done,
}

internal readonly record struct ParseStep(int Consumed, ParseStatus Status, long Argument);

/// <summary>
/// A resumable, allocation-light parser of a data set's byte stream (PS3.5 §7). The driver hands it whatever bytes
/// it has; the parser consumes whole tokens (element headers and small values, item headers, delimiters) and says
/// what it needs next. An explicit stack of containers replaces recursion, so hostile nesting cannot overflow the
/// call stack and the same parser serves synchronous and asynchronous reading.
/// </summary>
internal sealed class DicomParser
{
    private enum FrameKind { Dataset, Sequence, Fragments }

    private sealed class Frame
    {
        public FrameKind Kind;
        public long End = -1; // absolute end position for defined lengths, -1 when undefined
        public long Start; // absolute position of the value (after the header)
        public long HeaderPos; // absolute position of the header
        public DicomDataset? Dataset;
        public DicomSequence? Sequence;
        public DicomFragmentSequence? Fragments;
        public bool OffsetTableRead;
        public bool Implicit;
        public bool Little;
        public DicomTag Tag;
    }

    private static readonly DicomTag PixelData = new(0x7FE0, 0x0010);
    private static readonly DicomTag PixelRepresentation = new(0x0028, 0x0103);
    private const uint FirstPixelTag = 0x7FE00008;

    private readonly List<Frame> _stack = [];
    private readonly DicomReadOptions _options;
    private readonly DicomSourceFile? _lazySource;
    private readonly long _streamLength;
    private readonly bool _metaOnly;
    private readonly List<string> _warnings;
    // The dictionary is touched only when a VR must be looked up (implicit VR, UN, invalid VR bytes), so reading an
    // explicit VR header does not load it (a few MB and milliseconds on first use).
    private static DicomDictionary Dictionary => DicomDictionary.Default;
    private Frame? _unverifiedLength; // a defined-length sequence ended by a delimiter, its length not yet checked against the source

    /// <param name="root">The data set to fill.</param>
    /// <param name="explicitVR">Explicit or implicit VR.</param>
    /// <param name="littleEndian">Byte order.</param>
    /// <param name="options">Reading options.</param>
    /// <param name="lazySource">The file when bulk values may be left on disk (seekable file source), else null.</param>
    /// <param name="streamLength">Total length of the source when known (lets lengths be checked before reading), else -1.</param>
    /// <param name="metaOnly">Parse only group 0002 (the File Meta), stopping before the first other element.</param>
    /// <param name="warnings">Where non-fatal findings are reported.</param>
    public DicomParser(DicomDataset root, bool explicitVR, bool littleEndian, DicomReadOptions options,
        DicomSourceFile? lazySource, long streamLength, bool metaOnly, List<string> warnings)
    {
        _options = options;
        _lazySource = lazySource;
        _streamLength = streamLength;
        _metaOnly = metaOnly;
        _warnings = warnings;
        _stack.Add(new Frame { Kind = FrameKind.Dataset, Dataset = root, Implicit = !explicitVR, Little = littleEndian });
    }

    /// <summary>
    /// The known encapsulated transfer syntax the data set is in, or null: its top-level Pixel Data must then be
    /// fragments of undefined length (PS3.5 §A.4).
    /// </summary>
    public DicomTransferSyntax? EncapsulatedSyntax { get; init; }

    /// <summary>
    /// For an inflated (deflated) data set: the most bytes it may inflate to; a length reaching past it is refused before
    /// anything is read. -1 when there is no such limit.
    /// </summary>
    public long InflatedLimit { get; init; } = -1;

    /// <summary>True when the parser stopped at a top-level element (meta end or pixel data) without consuming it.</summary>
    public bool StoppedEarly { get; private set; }

    /// <summary>Depth of open containers (1 = top level).</summary>
    public int Depth => _stack.Count;

    /// <summary>
    /// Consumes as many whole tokens from <paramref name="buffer"/>[<paramref name="offset"/>..+<paramref name="count"/>]
    /// as possible. <paramref name="position"/> is the absolute stream position of the first byte; <paramref name="final"/>
    /// says no more bytes will come. Values are kept as slices of <paramref name="buffer"/>, which the driver must
    /// therefore never overwrite.
    /// </summary>
    public ParseStep Step(byte[] buffer, int offset, int count, long position, bool final)
    {
        var consumed = 0;
        while (true)
        {
            var pos = position + consumed;
            var avail = count - consumed;
            var frame = _stack[^1];

            if (frame.End >= 0 && pos >= frame.End)
            {
                if (pos > frame.End)
                    throw new DicomReadException($"content overruns the declared length of {Describe(frame)} by {pos - frame.End} bytes", frame.Tag, frame.End);
                if (_stack.Count == 1) return new ParseStep(consumed, ParseStatus.Done, 0);
                _stack.RemoveAt(_stack.Count - 1);
                continue;
            }

            if (avail < 8)
            {
                if (!final) return new ParseStep(consumed, ParseStatus.NeedMore, 8);
                if (_stack.Count == 1 && frame.End < 0)
                {
                    if (avail == 0)
                    {
                        CheckUnverifiedLength(pos);
                        return new ParseStep(consumed, ParseStatus.Done, 0);
                    }
                    throw new DicomReadException($"{avail} stray bytes at the end of the data set", null, pos);
                }
                throw new DicomReadException($"data ends inside {Describe(frame)}", frame.Tag, pos);
            }

            var span = buffer.AsSpan(offset + consumed, avail);
            var little = frame.Little;
            var group = little ? BinaryPrimitives.ReadUInt16LittleEndian(span) : BinaryPrimitives.ReadUInt16BigEndian(span);
            var element = little ? BinaryPrimitives.ReadUInt16LittleEndian(span[2..]) : BinaryPrimitives.ReadUInt16BigEndian(span[2..]);
            var tag = new DicomTag(group, element);

            switch (frame.Kind)
            {
                case FrameKind.Sequence:
                    consumed += SequenceToken(frame, tag, span, pos);
                    continue;
                case FrameKind.Fragments:
                {
                    var step = FragmentToken(frame, tag, buffer, offset + consumed, avail, pos);
                    if (step.Status == ParseStatus.NeedMore || step.Status == ParseStatus.Skip)
                        return step with { Consumed = consumed + step.Consumed };
                    consumed += step.Consumed;
                    continue;
                }
            }

            // A data set (top level or item).
            if (group == 0xFFFE)
            {
                var len = ReadUInt32(span[4..], little);
                if (tag == DicomTag.ItemDelimitationItem && _stack.Count > 1 && frame.End < 0)
                {
                    if (len != 0) Warn($"item delimiter at offset {pos} has length {len}, expected 0");
                    _stack.RemoveAt(_stack.Count - 1);
                    consumed += 8;
                    continue;
                }
                throw new DicomReadException($"unexpected {(tag == DicomTag.SequenceDelimitationItem ? "sequence delimiter" : tag == DicomTag.ItemDelimitationItem ? "item delimiter" : "item")} in {Describe(frame)}", tag, pos);
            }

            if (_stack.Count == 1)
            {
                if (_metaOnly && group != 0x0002)
                {
                    StoppedEarly = true;
                    return new ParseStep(consumed, ParseStatus.Done, 0);
                }
                if (_options.StopBeforePixelData && tag.Value >= FirstPixelTag)
                {
                    StoppedEarly = true;
                    return new ParseStep(consumed, ParseStatus.Done, 0);
                }
            }

            // Element header (PS3.5 §7.1.1 explicit, §7.1.2 implicit).
            DicomVR vr;
            uint length;
            int header;
            var dataset = frame.Dataset!;
            if (!frame.Implicit)
            {
                if (DicomVRInfo.TryParse(span[4], span[5], out vr))
                {
                    if (vr.HasShortLength())
                    {
                        length = little ? BinaryPrimitives.ReadUInt16LittleEndian(span[6..]) : BinaryPrimitives.ReadUInt16BigEndian(span[6..]);
                        header = 8;
                    }
                    else
                    {
                        if (avail < 12)
                        {
                            if (!final) return new ParseStep(consumed, ParseStatus.NeedMore, 12);
                            throw new DicomReadException("data ends inside an element header", tag, pos);
                        }
                        length = ReadUInt32(span[8..], little);
                        header = 12;
                    }
                }
                else
                {
                    // Like DCMTK: a VR that is not in PS3.5 gets the short header form; the dictionary gives the VR.
                    vr = Dictionary.GetImplicitVR(tag, PrivateCreatorOf(dataset, tag));
                    length = little ? BinaryPrimitives.ReadUInt16LittleEndian(span[6..]) : BinaryPrimitives.ReadUInt16BigEndian(span[6..]);
                    header = 8;
                    Warn($"element {tag} at offset {pos} has the invalid VR bytes {span[4]:X2} {span[5]:X2}; read as {vr.Code()} with a 16-bit length");
                }
            }
            else
            {
                length = ReadUInt32(span[4..], little);
                header = 8;
                vr = ResolveUSOrSS(Dictionary.GetImplicitVR(tag, PrivateCreatorOf(dataset, tag)), tag, dataset);
            }

            if (vr == DicomVR.UN && !frame.Implicit && length != 0xFFFFFFFF && !tag.IsPrivate)
            {
                // Explicit UN for a standard attribute (passed through a system that did not know it): take the
                // dictionary's VR, as PS3.5 §6.2.2 allows and pydicom does. Private elements keep UN, as DCMTK keeps
                // them: which vendor dictionaries know them differs between toolkits, and a rewrite then reproduces
                // the stored bytes. Not for SQ, whose value would need re-parsing as Implicit VR.
                var known = ResolveUSOrSS(Dictionary.GetImplicitVR(tag, PrivateCreatorOf(dataset, tag)), tag, dataset);
                if (known is not DicomVR.UN and not DicomVR.SQ) vr = known;
            }

            if (length == 0xFFFFFFFF)
            {
                consumed += header;
                OpenUndefinedLength(frame, dataset, tag, vr, pos);
                continue;
            }

            var valueStart = pos + header;
            CheckFits(frame, tag, valueStart, length, pos);
            if (tag == PixelData && _stack.Count == 1 && EncapsulatedSyntax is { } encapsulated)
            {
                // DCMTK refuses this too ("Only undefined length permitted"); pydicom reads the bytes. Lenient reading
                // keeps them as a native value, as DCMTK does when told to.
                var problem = $"native pixel data ({length} bytes with a defined length) in the encapsulated transfer syntax {encapsulated.Name}, which requires fragments of undefined length (PS3.5 §A.4)";
                if (!_options.Lenient) throw new DicomReadException(problem, tag, pos);
                Warn($"element {tag} at offset {pos}: {problem}; kept as a native value");
            }

            if (vr == DicomVR.SQ && !(frame.Implicit && LooksLikeNonSequence(span, header, avail, length, little)))
            {
                CheckDepth(tag, pos);
                var seq = new DicomSequence(tag) { UndefinedLength = false };
                Append(dataset, seq, pos);
                _stack.Add(new Frame { Kind = FrameKind.Sequence, End = valueStart + length, Start = valueStart, HeaderPos = pos, Sequence = seq, Dataset = dataset, Implicit = frame.Implicit, Little = little, Tag = tag });
                consumed += header;
                continue;
            }
            if (vr == DicomVR.SQ)
            {
                vr = DicomVR.UN;
                Warn($"element {tag} at offset {pos} is SQ in the dictionary but its value is not a sequence; kept as UN");
            }

            if (IsLazy(vr, tag, length))
            {
                Append(dataset, new DicomValueElement(tag, vr, new FileDicomBuffer(_lazySource!, valueStart, length, little ? 1 : SwapUnit(vr))), pos);
                return new ParseStep(consumed + header, ParseStatus.Skip, length);
            }

            if (avail < header + (long)length)
            {
                if (!final) return new ParseStep(consumed, ParseStatus.NeedMore, header + (long)length);
                throw Claims(tag, pos, length, avail - header);
            }

            var value = Slice(buffer, offset + consumed + header, (int)length, little, vr);
            Append(dataset, new DicomValueElement(tag, vr, value), pos);
            consumed += header + (int)length;
        }
    }

    private int SequenceToken(Frame frame, DicomTag tag, ReadOnlySpan<byte> span, long pos)
    {
        var len = ReadUInt32(span[4..], frame.Little);
        if (tag == DicomTag.Item)
        {
            var item = new DicomDataset { UndefinedLength = len == 0xFFFFFFFF, Parent = frame.Dataset };
            frame.Sequence!.Items.Add(item);
            var end = -1L;
            if (len != 0xFFFFFFFF)
            {
                end = pos + 8 + len;
                CheckFits(frame, tag, pos + 8, len, pos);
            }
            _stack.Add(new Frame { Kind = FrameKind.Dataset, End = end, Dataset = item, Implicit = frame.Implicit, Little = frame.Little, Tag = frame.Tag });
            return 8;
        }
        if (tag == DicomTag.SequenceDelimitationItem)
        {
            if (frame.End >= 0)
            {
                Warn($"sequence {frame.Tag} has a defined length and a sequence delimiter at offset {pos}");
                // With the source's size known, a length beyond it was refused at the header; from a source of unknown
                // size, check it once the size is known, so both give the same verdict.
                if (_streamLength < 0 && (_unverifiedLength is null || frame.End > _unverifiedLength.End)) _unverifiedLength = frame;
            }
            _stack.RemoveAt(_stack.Count - 1);
            return 8;
        }
        throw new DicomReadException($"expected an item (FFFE,E000) or a sequence delimiter in sequence {frame.Tag}, found {tag}", tag, pos);
    }

    private ParseStep FragmentToken(Frame frame, DicomTag tag, byte[] buffer, int offset, int avail, long pos)
    {
        var span = buffer.AsSpan(offset, avail);
        var len = ReadUInt32(span[4..], frame.Little);
        if (tag == DicomTag.SequenceDelimitationItem)
        {
            _stack.RemoveAt(_stack.Count - 1);
            return new ParseStep(8, ParseStatus.Done, 0);
        }
        if (tag != DicomTag.Item)
            throw new DicomReadException($"expected a fragment item (FFFE,E000) or a sequence delimiter in encapsulated {frame.Tag}, found {tag}", tag, pos);
        if (len == 0xFFFFFFFF)
            throw new DicomReadException($"fragment item of encapsulated {frame.Tag} has an undefined length", tag, pos);
        CheckFits(frame, frame.Tag, pos + 8, len, pos);
        var fragments = frame.Fragments!;
        DicomBuffer value;
        if (_lazySource is not null && len >= _options.LazyThreshold / 4 && len > 0)
        {
            value = new FileDicomBuffer(_lazySource, pos + 8, len);
            AddFragment(frame, fragments, value);
            return new ParseStep(8, ParseStatus.Skip, len);
        }
        if (avail < 8 + (long)len) return new ParseStep(0, ParseStatus.NeedMore, 8 + (long)len);
        value = DicomBuffer.FromMemory(buffer.AsMemory(offset + 8, (int)len));
        AddFragment(frame, fragments, value);
        return new ParseStep(8 + (int)len, ParseStatus.Done, 0);
    }

    private static void AddFragment(Frame frame, DicomFragmentSequence fragments, DicomBuffer value)
    {
        if (!frame.OffsetTableRead)
        {
            fragments.OffsetTable = value;
            frame.OffsetTableRead = true;
        }
        else
        {
            fragments.Fragments.Add(value);
        }
    }

    private void OpenUndefinedLength(Frame frame, DicomDataset dataset, DicomTag tag, DicomVR vr, long pos)
    {
        if (tag == PixelData || (vr is DicomVR.OB or DicomVR.OW && !frame.Implicit))
        {
            var fragments = new DicomFragmentSequence(tag, vr == DicomVR.OW ? DicomVR.OW : DicomVR.OB, DicomBuffer.Empty);
            Append(dataset, fragments, pos);
            _stack.Add(new Frame { Kind = FrameKind.Fragments, Fragments = fragments, Dataset = dataset, Implicit = frame.Implicit, Little = frame.Little, Tag = tag });
            return;
        }
        if (vr == DicomVR.SQ || vr == DicomVR.UN || frame.Implicit)
        {
            // PS3.5 §6.2.2: an undefined-length UN holds a sequence encoded Implicit VR Little Endian (CP-246).
            CheckDepth(tag, pos);
            var fromUN = vr == DicomVR.UN && !frame.Implicit;
            if (vr == DicomVR.UN) Warn($"element {tag} at offset {pos} is UN with undefined length; read as a sequence (Implicit VR Little Endian)");
            var seq = new DicomSequence(tag) { UndefinedLength = true, ReadFromUN = fromUN };
            Append(dataset, seq, pos);
            _stack.Add(new Frame
            {
                Kind = FrameKind.Sequence,
                Sequence = seq,
                Dataset = dataset,
                Implicit = frame.Implicit || vr == DicomVR.UN,
                Little = vr == DicomVR.UN || frame.Little,
                Tag = tag,
            });
            return;
        }
        throw new DicomReadException($"undefined length is not allowed for VR {vr.Code()}", tag, pos);
    }

    /// <summary>
    /// Refuses a sequence that would nest deeper than MaxDepth. The stack alternates data set and sequence frames
    /// (top level, sequence, item, sequence, item…), so with a data set on top the new sequence's level is
    /// (count + 1) / 2. Items need no check of their own: each lives in a sequence already counted.
    /// </summary>
    private void CheckDepth(DicomTag tag, long pos)
    {
        if ((_stack.Count + 1) / 2 > _options.MaxDepth)
            throw new DicomReadException($"sequences nested deeper than {_options.MaxDepth} levels (DicomReadOptions.MaxDepth)", tag, pos);
    }

    private void Append(DicomDataset dataset, DicomElement element, long pos)
    {
        if (!dataset.AppendFromReader(element))
            Warn($"element {element.Tag} at offset {pos} occurs twice in one data set; the second is ignored");
    }

    private bool IsLazy(DicomVR vr, DicomTag tag, uint length) =>
        _lazySource is not null && length > 0 && vr.MayBeBulk() && (length >= _options.LazyThreshold || tag == PixelData && length >= 1024);

    private void CheckFits(Frame frame, DicomTag tag, long valueStart, uint length, long pos)
    {
        // Never trust a length field: it must fit in the enclosing item/sequence and in the source.
        for (var i = _stack.Count - 1; i >= 0; i--)
        {
            var end = _stack[i].End;
            if (end >= 0)
            {
                if (valueStart + length > end)
                    throw new DicomReadException($"claims {length} bytes, but its container {Describe(_stack[i])} has {Math.Max(0, end - valueStart)} left", tag, pos);
                break;
            }
        }
        if (_streamLength >= 0 && valueStart + length > _streamLength)
            throw Claims(tag, pos, length, Math.Max(0, _streamLength - valueStart));
        if (InflatedLimit >= 0 && valueStart + length > InflatedLimit)
            throw new DicomReadException($"claims {length} bytes, past the limit of {_options.MaxInflatedLength} inflated bytes (DicomReadOptions.MaxInflatedLength)", tag, pos);
        _ = frame;
    }

    /// <summary>
    /// The dictionary gives "US or SS" for pixel-value attributes (Smallest Image Pixel Value, Pixel Padding Value…):
    /// without an explicit VR the Pixel Representation (0028,0103) of the data set or an enclosing one decides (SS
    /// when it is 1), as pydicom and DCMTK do. LUT descriptors stay US: their first and third values are always
    /// unsigned (PS3.3 C.11.1.1.1), and DCMTK reads them so.
    /// </summary>
    private static DicomVR ResolveUSOrSS(DicomVR vr, DicomTag tag, DicomDataset dataset)
    {
        if (vr != DicomVR.US || tag.IsPrivate) return vr;
        if (Dictionary.Find(tag) is not { VRs: [DicomVR.US, DicomVR.SS] } entry || entry.Keyword.EndsWith("Descriptor", StringComparison.Ordinal)) return vr;
        for (DicomDataset? d = dataset; d is not null; d = d.Parent)
        {
            if (d.TryGetValue<int>(PixelRepresentation, 0, out var representation)) return representation == 1 ? DicomVR.SS : DicomVR.US;
        }
        return vr;
    }

    private void CheckUnverifiedLength(long sourceLength)
    {
        if (_unverifiedLength is { } f && f.End > sourceLength)
            throw Claims(f.Tag, f.HeaderPos, (uint)(f.End - f.Start), Math.Max(0, sourceLength - f.Start));
    }

    private static DicomReadException Claims(DicomTag tag, long pos, uint length, long remain) =>
        new($"claims {length} bytes, {remain} remain", tag, pos);

    /// <summary>
    /// In Implicit VR data the dictionary may say SQ for an element that holds something else (for example a retired
    /// CS use of (0040,A170)). A real sequence value starts with an item or delimiter tag.
    /// </summary>
    private static bool LooksLikeNonSequence(ReadOnlySpan<byte> span, int header, int avail, uint length, bool little)
    {
        if (length == 0 || avail < header + 4) return false;
        var g = little ? BinaryPrimitives.ReadUInt16LittleEndian(span[header..]) : BinaryPrimitives.ReadUInt16BigEndian(span[header..]);
        return g != 0xFFFE;
    }

    private static DicomBuffer Slice(byte[] buffer, int start, int length, bool little, DicomVR vr)
    {
        if (length == 0) return DicomBuffer.Empty;
        if (little || !vr.IsBinaryNumber() && vr != DicomVR.AT)
            return DicomBuffer.FromMemory(buffer.AsMemory(start, length));
        var copy = buffer.AsSpan(start, length).ToArray();
        FileDicomBuffer.Swap(copy, SwapUnit(vr));
        return DicomBuffer.FromMemory(copy);
    }

    internal static int SwapUnit(DicomVR vr) => vr.IsBinaryNumber() || vr == DicomVR.AT ? vr.UnitSize() : 1;

    private static uint ReadUInt32(ReadOnlySpan<byte> s, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(s) : BinaryPrimitives.ReadUInt32BigEndian(s);

    private static string? PrivateCreatorOf(DicomDataset dataset, DicomTag tag) =>
        tag.IsPrivate && !tag.IsPrivateCreator ? dataset.GetString(tag.PrivateCreatorTag) : null;

    private static string Describe(Frame f) => f.Kind switch
    {
        FrameKind.Sequence => $"sequence {f.Tag}",
        FrameKind.Fragments => $"encapsulated {f.Tag}",
        _ => f.Tag == default ? "the data set" : $"an item of {f.Tag}",
    };

    private void Warn(string message) => _warnings.Add(message);
}
