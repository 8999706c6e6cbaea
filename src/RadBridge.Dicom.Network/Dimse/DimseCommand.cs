using System.Buffers.Binary;
using System.Text;

namespace RadBridge.Dicom.Network.Dimse;

/// <summary>
/// A DIMSE command set (PS3.7 §6.3, Annex E): group 0000 elements, always Implicit VR Little Endian on the wire, led
/// by Command Group Length (0000,0000). Values are kept as their bytes and typed by the accessors.
/// </summary>
public sealed class DimseCommand
{
    /// <summary>Command Data Set Type value meaning "no data set follows" (PS3.7 Annex E).</summary>
    public const ushort NoDataSet = 0x0101;

    private readonly SortedDictionary<ushort, byte[]> _elements = [];

    public static ushort AffectedSopClassUidTag => 0x0002;

    public DimseCommandField CommandField { get => (DimseCommandField)GetUS(0x0100); set => SetUS(0x0100, (ushort)value); }
    public ushort MessageId { get => GetUS(0x0110); set => SetUS(0x0110, value); }
    public ushort MessageIdBeingRespondedTo { get => GetUS(0x0120); set => SetUS(0x0120, value); }
    public string? AffectedSopClassUid { get => GetString(0x0002); set => SetString(0x0002, value, uid: true); }
    public string? RequestedSopClassUid { get => GetString(0x0003); set => SetString(0x0003, value, uid: true); }
    public string? AffectedSopInstanceUid { get => GetString(0x1000); set => SetString(0x1000, value, uid: true); }
    public string? RequestedSopInstanceUid { get => GetString(0x1001); set => SetString(0x1001, value, uid: true); }
    public string? MoveDestination { get => GetString(0x0600); set => SetString(0x0600, value, uid: false); }
    public DimsePriority Priority { get => (DimsePriority)GetUS(0x0700); set => SetUS(0x0700, (ushort)value); }
    public string? ErrorComment { get => GetString(0x0902); set => SetString(0x0902, value, uid: false); }
    public string? MoveOriginatorAeTitle { get => GetString(0x1030); set => SetString(0x1030, value, uid: false); }
    public ushort MoveOriginatorMessageId { get => GetUS(0x1031); set => SetUS(0x1031, value); }
    /// <summary>Event Type ID (0000,1002) of N-EVENT-REPORT.</summary>
    public ushort? EventTypeId { get => GetOptionalUS(0x1002); set => SetOptionalUS(0x1002, value); }
    /// <summary>Action Type ID (0000,1008) of N-ACTION.</summary>
    public ushort? ActionTypeId { get => GetOptionalUS(0x1008); set => SetOptionalUS(0x1008, value); }
    public ushort? NumberOfRemainingSuboperations { get => GetOptionalUS(0x1020); set => SetOptionalUS(0x1020, value); }
    public ushort? NumberOfCompletedSuboperations { get => GetOptionalUS(0x1021); set => SetOptionalUS(0x1021, value); }
    public ushort? NumberOfFailedSuboperations { get => GetOptionalUS(0x1022); set => SetOptionalUS(0x1022, value); }
    public ushort? NumberOfWarningSuboperations { get => GetOptionalUS(0x1023); set => SetOptionalUS(0x1023, value); }

    /// <summary>Status (0000,0900) of a response.</summary>
    public DimseStatus Status { get => new(GetUS(0x0900)); set => SetUS(0x0900, value.Code); }

    /// <summary>True when a data set follows the command (Command Data Set Type other than 0101H).</summary>
    public bool HasDataSet
    {
        get => GetOptionalUS(0x0800) is { } type && type != NoDataSet;
        set => SetUS(0x0800, value ? (ushort)0x0000 : NoDataSet);
    }

    /// <summary>True when the element (0000,<paramref name="element"/>) is present.</summary>
    public bool Contains(ushort element) => _elements.ContainsKey(element);

    /// <summary>A request with the fields every request has.</summary>
    public static DimseCommand Request(DimseCommandField field, ushort messageId, string affectedSopClassUid, bool hasDataSet)
    {
        var command = new DimseCommand { CommandField = field, MessageId = messageId, AffectedSopClassUid = affectedSopClassUid, HasDataSet = hasDataSet };
        return command;
    }

    /// <summary>The response to <paramref name="request"/> with a status (PS3.7 §9.3: the affected SOP class/instance are echoed).</summary>
    public static DimseCommand ResponseTo(DimseCommand request, DimseStatus status)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = new DimseCommand
        {
            CommandField = request.CommandField.ResponseTo(),
            MessageIdBeingRespondedTo = request.MessageId,
            HasDataSet = false,
            Status = status,
        };
        if (request.AffectedSopClassUid is { } sopClass) response.AffectedSopClassUid = sopClass;
        if (request.AffectedSopInstanceUid is { } instance) response.AffectedSopInstanceUid = instance;
        return response;
    }

    /// <summary>Encodes the command set, Command Group Length first (Implicit VR Little Endian).</summary>
    public byte[] Encode()
    {
        var bodyLength = _elements.Values.Sum(v => 8 + v.Length);
        var bytes = new byte[12 + bodyLength];
        var span = bytes.AsSpan();
        Header(span, 0x0000, 4);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], (uint)bodyLength);
        var at = 12;
        foreach (var (element, value) in _elements)
        {
            Header(span[at..], element, value.Length);
            value.CopyTo(span[(at + 8)..]);
            at += 8 + value.Length;
        }
        return bytes;
    }

    /// <summary>Decodes a command set; every element must be in group 0000 and inside the bytes given.</summary>
    /// <exception cref="DicomNetworkException">The command set is malformed.</exception>
    public static DimseCommand Decode(ReadOnlySpan<byte> bytes)
    {
        var command = new DimseCommand();
        var at = 0;
        while (at < bytes.Length)
        {
            if (bytes.Length - at < 8) throw new DicomNetworkException($"command set: {bytes.Length - at} bytes left where an 8-byte element header is needed");
            var group = BinaryPrimitives.ReadUInt16LittleEndian(bytes[at..]);
            var element = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(at + 2)..]);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(at + 4)..]);
            if (group != 0x0000) throw new DicomNetworkException($"command set: element ({group:X4},{element:X4}) is not in group 0000");
            if (length > (uint)(bytes.Length - at - 8)) throw new DicomNetworkException($"command set: element (0000,{element:X4}) claims {length} bytes, {bytes.Length - at - 8} remain");
            if (element != 0x0000) command._elements[element] = bytes.Slice(at + 8, (int)length).ToArray();
            at += 8 + (int)length;
        }
        if (!command.Contains(0x0100)) throw new DicomNetworkException("command set without Command Field (0000,0100)");
        return command;
    }

    public override string ToString() => CommandField.Name();

    private static void Header(Span<byte> span, ushort element, int length)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(span, 0x0000);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], element);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)length);
    }

    private ushort GetUS(ushort element) => GetOptionalUS(element) ?? 0;

    private ushort? GetOptionalUS(ushort element) =>
        _elements.TryGetValue(element, out var v) && v.Length >= 2 ? BinaryPrimitives.ReadUInt16LittleEndian(v) : null;

    private void SetUS(ushort element, ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        _elements[element] = bytes;
    }

    private void SetOptionalUS(ushort element, ushort? value)
    {
        if (value is { } v) SetUS(element, v);
        else _elements.Remove(element);
    }

    private string? GetString(ushort element) =>
        _elements.TryGetValue(element, out var v) ? Encoding.ASCII.GetString(v).TrimEnd('\0', ' ') : null;

    // UI values pad with NUL, other text with a space, to even length (PS3.5 §6.2).
    private void SetString(ushort element, string? value, bool uid)
    {
        if (value is null) { _elements.Remove(element); return; }
        var bytes = Encoding.ASCII.GetBytes(value.Length % 2 == 0 ? value : value + (uid ? '\0' : ' '));
        _elements[element] = bytes;
    }
}
