using System.Buffers.Binary;
using System.Text;

namespace RadBridge.Dicom.Network.Pdu;

/// <summary>
/// Reads PDUs from bytes, checking every length against what encloses it before using it (PS3.8 §9.3). A fault is a
/// <see cref="DicomPduException"/> carrying the A-ABORT reason of PS3.8 Table 9-26; nothing is allocated from an
/// unchecked length.
/// </summary>
public static class PduDecoder
{
    /// <summary>True for the seven PDU types PS3.8 defines.</summary>
    public static bool IsKnownType(byte type) => type is >= 1 and <= 7;

    /// <summary>
    /// Decodes the body (the bytes after the 6-byte header) of a PDU of type <paramref name="type"/>.
    /// P-DATA-TF values point into <paramref name="body"/> (no copy).
    /// </summary>
    /// <exception cref="DicomPduException">The PDU is malformed; <see cref="DicomPduException.Reason"/> is the A-ABORT reason.</exception>
    public static DicomPdu Decode(byte type, ReadOnlyMemory<byte> body) => (PduType)type switch
    {
        PduType.AssociateRequest => DecodeAssociate(body.Span, request: true),
        PduType.AssociateAccept => DecodeAssociate(body.Span, request: false),
        PduType.AssociateReject => DecodeReject(body.Span),
        PduType.DataTransfer => DecodeData(body),
        PduType.ReleaseRequest => Fixed4(body.Span, "A-RELEASE-RQ", new ReleaseRequestPdu()),
        PduType.ReleaseResponse => Fixed4(body.Span, "A-RELEASE-RP", new ReleaseResponsePdu()),
        PduType.Abort => DecodeAbort(body.Span),
        _ => throw new DicomPduException(AbortReason.UnrecognizedPdu, $"unrecognized PDU type 0x{type:X2}"),
    };

    /// <summary>Decodes a whole PDU (header included), requiring its length field to match the bytes given.</summary>
    public static DicomPdu Decode(ReadOnlyMemory<byte> pdu)
    {
        var span = pdu.Span;
        if (span.Length < PduEncoder.HeaderLength) throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"PDU of {span.Length} bytes is shorter than its 6-byte header");
        if (!IsKnownType(span[0])) throw new DicomPduException(AbortReason.UnrecognizedPdu, $"unrecognized PDU type 0x{span[0]:X2}");
        var length = BinaryPrimitives.ReadUInt32BigEndian(span[2..]);
        if (length != (uint)(span.Length - PduEncoder.HeaderLength))
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"PDU length field says {length} bytes, {span.Length - PduEncoder.HeaderLength} follow");
        return Decode(span[0], pdu[PduEncoder.HeaderLength..]);
    }

    private static T Fixed4<T>(ReadOnlySpan<byte> body, string name, T pdu) where T : DicomPdu
    {
        if (body.Length != 4) throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{name} has length {body.Length}, PS3.8 fixes it at 4");
        return pdu;
    }

    private static AbortPdu DecodeAbort(ReadOnlySpan<byte> body)
    {
        Fixed4(body, "A-ABORT", new ReleaseRequestPdu());
        // The reason is "not significant" for a service-user abort (Table 9-26): keep what came, never reject it.
        return new AbortPdu((AbortSource)body[2], (AbortReason)body[3]);
    }

    private static AssociateRejectPdu DecodeReject(ReadOnlySpan<byte> body)
    {
        Fixed4(body, "A-ASSOCIATE-RJ", new ReleaseRequestPdu());
        var result = body[1];
        var source = body[2];
        if (result is not (1 or 2)) throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"A-ASSOCIATE-RJ result {result} is not 1 or 2");
        if (source is not (1 or 2 or 3)) throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"A-ASSOCIATE-RJ source {source} is not 1, 2 or 3");
        return new AssociateRejectPdu((RejectResult)result, (RejectSource)source, body[3]);
    }

    private static DataTransferPdu DecodeData(ReadOnlyMemory<byte> body)
    {
        var values = new List<PresentationDataValue>(1);
        var span = body.Span;
        var at = 0;
        while (at < span.Length)
        {
            if (span.Length - at < 4) throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"P-DATA-TF: {span.Length - at} bytes left where a PDV item length is needed");
            var itemLength = BinaryPrimitives.ReadUInt32BigEndian(span[at..]);
            at += 4;
            if (itemLength < 2) throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"P-DATA-TF: PDV item length {itemLength} is less than 2");
            if (itemLength > (uint)(span.Length - at)) throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"P-DATA-TF: PDV item claims {itemLength} bytes, {span.Length - at} remain");
            var id = span[at];
            var control = span[at + 1];
            if (id % 2 == 0) throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"P-DATA-TF: presentation context ID {id} is not odd");
            if ((control & 0xFC) != 0) throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"P-DATA-TF: message control header 0x{control:X2} has reserved bits set");
            values.Add(new PresentationDataValue(id, (control & 1) != 0, (control & 2) != 0, body.Slice(at + 2, (int)itemLength - 2)));
            at += (int)itemLength;
        }
        if (values.Count == 0) throw new DicomPduException(AbortReason.InvalidPduParameterValue, "P-DATA-TF without any PDV item");
        return new DataTransferPdu(values);
    }

    private static DicomPdu DecodeAssociate(ReadOnlySpan<byte> body, bool request)
    {
        var name = request ? "A-ASSOCIATE-RQ" : "A-ASSOCIATE-AC";
        if (body.Length < 68) throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{name} of {body.Length} bytes is shorter than its 68-byte fixed part");
        var version = BinaryPrimitives.ReadUInt16BigEndian(body);
        var called = AeTitle(body.Slice(4, 16), name, "called");
        var calling = AeTitle(body.Slice(20, 16), name, "calling");
        string? context = null;
        var requested = new List<PresentationContextRequest>();
        var accepted = new List<PresentationContextAccept>();
        UserInformation? user = null;

        var items = new ItemReader(body[68..], name);
        while (items.Next(out var type, out var item))
        {
            switch (type)
            {
                case PduItemType.ApplicationContext:
                    if (context is not null) throw new DicomPduException(AbortReason.UnexpectedPduParameter, $"{name}: second application context item");
                    context = Uid(item, name, "application context name");
                    break;
                case PduItemType.PresentationContextRequest when request:
                    requested.Add(DecodeContextRequest(item));
                    break;
                case PduItemType.PresentationContextAccept when !request:
                    accepted.Add(DecodeContextAccept(item));
                    break;
                case PduItemType.UserInformation:
                    if (user is not null) throw new DicomPduException(AbortReason.UnexpectedPduParameter, $"{name}: second user information item");
                    user = DecodeUserInformation(item, name);
                    break;
                case PduItemType.PresentationContextRequest or PduItemType.PresentationContextAccept:
                    throw new DicomPduException(AbortReason.UnexpectedPduParameter, $"{name}: presentation context item of type 0x{type:X2} belongs to the other PDU");
                default:
                    throw new DicomPduException(AbortReason.UnrecognizedPduParameter, $"{name}: unrecognized item type 0x{type:X2}");
            }
        }
        if (context is null) throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{name}: no application context item");
        if (user is null) throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{name}: no user information item");
        if (request)
        {
            if (requested.Count == 0) throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{name}: no presentation context item");
            var ids = new HashSet<byte>();
            foreach (var pc in requested)
            {
                if (!ids.Add(pc.Id)) throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{name}: presentation context ID {pc.Id} proposed twice");
            }
            return new AssociateRequestPdu
            {
                ProtocolVersion = version, CalledAeTitle = called, CallingAeTitle = calling, ApplicationContextName = context,
                PresentationContexts = requested, UserInformation = user,
            };
        }
        return new AssociateAcceptPdu
        {
            ProtocolVersion = version, CalledAeTitle = called, CallingAeTitle = calling, ApplicationContextName = context,
            PresentationContexts = accepted, UserInformation = user,
        };
    }

    private static PresentationContextRequest DecodeContextRequest(ReadOnlySpan<byte> item)
    {
        const string name = "presentation context item (RQ)";
        if (item.Length < 4) throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{name} of {item.Length} bytes is shorter than 4");
        var id = ContextId(item[0]);
        string? abstractSyntax = null;
        var syntaxes = new List<string>();
        var sub = new ItemReader(item[4..], name);
        while (sub.Next(out var type, out var value))
        {
            switch (type)
            {
                case PduItemType.AbstractSyntax:
                    if (abstractSyntax is not null) throw new DicomPduException(AbortReason.UnexpectedPduParameter, $"{name} {id}: second abstract syntax");
                    abstractSyntax = Uid(value, name, "abstract syntax");
                    break;
                case PduItemType.TransferSyntax:
                    syntaxes.Add(Uid(value, name, "transfer syntax"));
                    break;
                default:
                    throw new DicomPduException(AbortReason.UnrecognizedPduParameter, $"{name} {id}: unrecognized sub-item type 0x{type:X2}");
            }
        }
        if (abstractSyntax is null) throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{name} {id}: no abstract syntax");
        if (syntaxes.Count == 0) throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{name} {id}: no transfer syntax");
        return new PresentationContextRequest(id, abstractSyntax, syntaxes);
    }

    private static PresentationContextAccept DecodeContextAccept(ReadOnlySpan<byte> item)
    {
        const string name = "presentation context item (AC)";
        if (item.Length < 4) throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{name} of {item.Length} bytes is shorter than 4");
        var id = ContextId(item[0]);
        var result = item[2];
        if (result > 4) throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{name} {id}: result {result} is not 0–4");
        string? syntax = null;
        var sub = new ItemReader(item[4..], name);
        while (sub.Next(out var type, out var value))
        {
            if (type != PduItemType.TransferSyntax) throw new DicomPduException(AbortReason.UnrecognizedPduParameter, $"{name} {id}: unexpected sub-item type 0x{type:X2}");
            if (syntax is not null) throw new DicomPduException(AbortReason.UnexpectedPduParameter, $"{name} {id}: second transfer syntax");
            // Not significant when the context is refused (PS3.8 Table 9-18): an empty value is allowed then.
            syntax = value.IsEmpty ? "" : Uid(value, name, "transfer syntax");
        }
        if (syntax is null && result == 0) throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{name} {id}: accepted without a transfer syntax");
        return new PresentationContextAccept(id, (PresentationContextResult)result, syntax ?? "");
    }

    private static byte ContextId(byte id) =>
        id % 2 == 1 ? id : throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"presentation context ID {id} is not odd (PS3.8 §9.3.2.2)");

    private static UserInformation DecodeUserInformation(ReadOnlySpan<byte> item, string pduName)
    {
        var name = $"{pduName} user information";
        uint? maxLength = null;
        string? implementationUid = null;
        string? versionName = null;
        AsynchronousOperationsWindow? window = null;
        var roles = new List<RoleSelection>();
        var extended = new List<SopClassExtendedNegotiation>();
        var common = new List<SopClassCommonExtendedNegotiation>();
        UserIdentityRequest? identity = null;
        ReadOnlyMemory<byte>? identityResponse = null;

        var sub = new ItemReader(item, name);
        while (sub.Next(out var type, out var value))
        {
            switch (type)
            {
                case PduItemType.MaximumLength:
                    if (value.Length != 4) throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{name}: maximum length sub-item of {value.Length} bytes, not 4");
                    maxLength = BinaryPrimitives.ReadUInt32BigEndian(value);
                    break;
                case PduItemType.ImplementationClassUid:
                    implementationUid = Uid(value, name, "implementation class UID");
                    break;
                case PduItemType.ImplementationVersionName:
                    if (value.Length is 0 or > 16) throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{name}: implementation version name of {value.Length} bytes (1–16 allowed)");
                    versionName = Ascii(value).TrimEnd();
                    break;
                case PduItemType.AsynchronousOperationsWindow:
                    if (value.Length != 4) throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{name}: asynchronous operations window of {value.Length} bytes, not 4");
                    window = new AsynchronousOperationsWindow(BinaryPrimitives.ReadUInt16BigEndian(value), BinaryPrimitives.ReadUInt16BigEndian(value[2..]));
                    break;
                case PduItemType.RoleSelection:
                {
                    var fields = new FieldReader(value, $"{name} role selection");
                    var uid = fields.Uid16();
                    var scu = fields.Byte();
                    var scp = fields.Byte();
                    fields.End();
                    roles.Add(new RoleSelection(uid, scu == 1, scp == 1));
                    break;
                }
                case PduItemType.SopClassExtendedNegotiation:
                {
                    var fields = new FieldReader(value, $"{name} SOP class extended negotiation");
                    var uid = fields.Uid16();
                    extended.Add(new SopClassExtendedNegotiation(uid, fields.Rest().ToArray()));
                    break;
                }
                case PduItemType.SopClassCommonExtendedNegotiation:
                {
                    var fields = new FieldReader(value, $"{name} SOP class common extended negotiation");
                    var sopClass = fields.Uid16();
                    var serviceClass = fields.Uid16();
                    var related = new FieldReader(fields.Bytes16(), $"{name} related general SOP classes");
                    fields.End();
                    var relatedUids = new List<string>();
                    while (!related.AtEnd) relatedUids.Add(related.Uid16());
                    common.Add(new SopClassCommonExtendedNegotiation(sopClass, serviceClass, relatedUids));
                    break;
                }
                case PduItemType.UserIdentityRequest:
                {
                    var fields = new FieldReader(value, $"{name} user identity");
                    var identityType = fields.Byte();
                    if (identityType is < 1 or > 5) throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{name}: user identity type {identityType} is not 1–5");
                    var positive = fields.Byte() == 1;
                    var primary = fields.Bytes16().ToArray();
                    var secondary = fields.Bytes16().ToArray();
                    fields.End();
                    identity = new UserIdentityRequest((UserIdentityType)identityType, positive, primary, secondary);
                    break;
                }
                case PduItemType.UserIdentityAccept:
                {
                    var fields = new FieldReader(value, $"{name} user identity response");
                    identityResponse = fields.Bytes16().ToArray();
                    fields.End();
                    break;
                }
                default:
                    // PS3.7 D.3.3: sub-items a receiver does not know are ignored, so newer negotiations pass through.
                    break;
            }
        }
        return new UserInformation
        {
            MaximumLength = maxLength ?? 0,
            ImplementationClassUid = implementationUid ?? "",
            ImplementationVersionName = versionName,
            AsynchronousOperationsWindow = window,
            RoleSelections = roles,
            ExtendedNegotiations = extended,
            CommonExtendedNegotiations = common,
            UserIdentityRequest = identity,
            UserIdentityServerResponse = identityResponse,
        };
    }

    private static string AeTitle(ReadOnlySpan<byte> field, string pdu, string which)
    {
        foreach (var b in field)
        {
            if (b is < 0x20 or > 0x7E && b != 0) throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{pdu}: {which} AE title holds byte 0x{b:X2}");
        }
        return Ascii(field).TrimEnd('\0').Trim();
    }

    private static string Uid(ReadOnlySpan<byte> value, string where, string what)
    {
        var text = Ascii(value).TrimEnd('\0', ' ');
        if (text.Length is 0 or > 64) throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{where}: {what} of {text.Length} characters (1–64 allowed)");
        foreach (var c in text)
        {
            if (c is not ('.' or (>= '0' and <= '9'))) throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{where}: {what} '{Printable(text)}' is not a UID");
        }
        return text;
    }

    private static string Printable(string text) => new(text.Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());

    private static string Ascii(ReadOnlySpan<byte> value) => Encoding.ASCII.GetString(value);

    /// <summary>Walks items of the form type(1) reserved(1) length(2) value, each inside what is left.</summary>
    private ref struct ItemReader(ReadOnlySpan<byte> data, string where)
    {
        private ReadOnlySpan<byte> _rest = data;

        public bool Next(out byte type, out ReadOnlySpan<byte> value)
        {
            if (_rest.IsEmpty) { type = 0; value = default; return false; }
            if (_rest.Length < 4) throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{where}: {_rest.Length} bytes left where a 4-byte item header is needed");
            type = _rest[0];
            var length = BinaryPrimitives.ReadUInt16BigEndian(_rest[2..]);
            if (length > _rest.Length - 4) throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{where}: item 0x{type:X2} claims {length} bytes, {_rest.Length - 4} remain");
            value = _rest.Slice(4, length);
            _rest = _rest[(4 + length)..];
            return true;
        }
    }

    /// <summary>Reads the fixed fields of a sub-item, each checked against what remains.</summary>
    private ref struct FieldReader(ReadOnlySpan<byte> data, string where)
    {
        private ReadOnlySpan<byte> _rest = data;

        public readonly bool AtEnd => _rest.IsEmpty;

        public byte Byte()
        {
            if (_rest.IsEmpty) throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{where}: ends early");
            var b = _rest[0];
            _rest = _rest[1..];
            return b;
        }

        public ReadOnlySpan<byte> Bytes16()
        {
            if (_rest.Length < 2) throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{where}: ends where a 2-byte length is needed");
            var length = BinaryPrimitives.ReadUInt16BigEndian(_rest);
            if (length > _rest.Length - 2) throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{where}: field claims {length} bytes, {_rest.Length - 2} remain");
            var value = _rest.Slice(2, length);
            _rest = _rest[(2 + length)..];
            return value;
        }

        public string Uid16() => Uid(Bytes16(), where, "UID");

        public ReadOnlySpan<byte> Rest()
        {
            var rest = _rest;
            _rest = default;
            return rest;
        }

        public readonly void End()
        {
            if (!_rest.IsEmpty) throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{where}: {_rest.Length} unexpected bytes at the end");
        }
    }
}
