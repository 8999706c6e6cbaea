using System.Buffers.Binary;
using System.Text;

namespace RadBridge.Dicom.Network.Pdu;

/// <summary>
/// Writes PDUs in the byte layout of PS3.8 §9.3 (big-endian lengths, 16-byte space-padded AE titles, items with
/// 2-byte lengths inside A-ASSOCIATE PDUs and 4-byte lengths for PDVs).
/// </summary>
public static class PduEncoder
{
    /// <summary>Size of the PDU header (type, reserved, 4-byte length).</summary>
    public const int HeaderLength = 6;

    /// <summary>Size of a PDV item header (4-byte length, context id, message control header).</summary>
    public const int PdvHeaderLength = 6;

    /// <summary>Encodes a whole PDU (header included).</summary>
    /// <exception cref="DicomNetworkException">A value cannot be encoded (AE title too long, item over 64 KiB, …).</exception>
    public static byte[] Encode(DicomPdu pdu)
    {
        ArgumentNullException.ThrowIfNull(pdu);
        var b = new Builder();
        b.Byte((byte)pdu.Type);
        b.Byte(0);
        var length = b.Reserve32();
        switch (pdu)
        {
            case AssociateRequestPdu rq:
                AssociateHeader(b, rq.ProtocolVersion, rq.CalledAeTitle, rq.CallingAeTitle);
                StringItem(b, PduItemType.ApplicationContext, rq.ApplicationContextName);
                foreach (var pc in rq.PresentationContexts)
                {
                    b.Byte(PduItemType.PresentationContextRequest);
                    b.Byte(0);
                    var itemLength = b.Reserve16();
                    b.Byte(pc.Id);
                    b.Zeros(3);
                    StringItem(b, PduItemType.AbstractSyntax, pc.AbstractSyntax);
                    foreach (var ts in pc.TransferSyntaxes) StringItem(b, PduItemType.TransferSyntax, ts);
                    b.Patch16(itemLength);
                }
                UserInformationItem(b, rq.UserInformation, request: true);
                break;
            case AssociateAcceptPdu ac:
                AssociateHeader(b, ac.ProtocolVersion, ac.CalledAeTitle, ac.CallingAeTitle);
                StringItem(b, PduItemType.ApplicationContext, ac.ApplicationContextName);
                foreach (var pc in ac.PresentationContexts)
                {
                    b.Byte(PduItemType.PresentationContextAccept);
                    b.Byte(0);
                    var itemLength = b.Reserve16();
                    b.Byte(pc.Id);
                    b.Byte(0);
                    b.Byte((byte)pc.Result);
                    b.Byte(0);
                    StringItem(b, PduItemType.TransferSyntax, pc.Result == PresentationContextResult.Acceptance ? pc.TransferSyntax : "");
                    b.Patch16(itemLength);
                }
                UserInformationItem(b, ac.UserInformation, request: false);
                break;
            case AssociateRejectPdu rj:
                b.Byte(0);
                b.Byte((byte)rj.Result);
                b.Byte((byte)rj.Source);
                b.Byte(rj.Reason);
                break;
            case DataTransferPdu data:
                foreach (var pdv in data.Values)
                {
                    b.U32((uint)(pdv.Data.Length + 2));
                    b.Byte(pdv.PresentationContextId);
                    b.Byte(ControlHeader(pdv.IsCommand, pdv.IsLast));
                    b.Bytes(pdv.Data.Span);
                }
                break;
            case ReleaseRequestPdu or ReleaseResponsePdu:
                b.Zeros(4);
                break;
            case AbortPdu abort:
                b.Zeros(2);
                b.Byte((byte)abort.Source);
                b.Byte((byte)abort.Reason);
                break;
            default:
                throw new DicomNetworkException($"cannot encode PDU {pdu.GetType().Name}");
        }
        b.Patch32(length);
        return b.ToArray();
    }

    /// <summary>
    /// Writes the headers of a P-DATA-TF PDU holding one PDV of <paramref name="dataLength"/> bytes into
    /// <paramref name="destination"/> (12 bytes); the caller writes the data after it. Lets large data go out without a copy.
    /// </summary>
    public static void WriteSinglePdvHeader(Span<byte> destination, byte presentationContextId, bool isCommand, bool isLast, int dataLength)
    {
        destination[0] = (byte)PduType.DataTransfer;
        destination[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], (uint)(dataLength + PdvHeaderLength));
        BinaryPrimitives.WriteUInt32BigEndian(destination[6..], (uint)(dataLength + 2));
        destination[10] = presentationContextId;
        destination[11] = ControlHeader(isCommand, isLast);
    }

    // PS3.8 Annex E.2: bit 0 set = command, bit 1 set = last fragment.
    private static byte ControlHeader(bool isCommand, bool isLast) => (byte)((isCommand ? 1 : 0) | (isLast ? 2 : 0));

    private static void AssociateHeader(Builder b, ushort version, string called, string calling)
    {
        b.U16(version);
        b.Zeros(2);
        AeTitle(b, called, "called");
        AeTitle(b, calling, "calling");
        b.Zeros(32);
    }

    private static void AeTitle(Builder b, string title, string which)
    {
        if (!AeTitles.IsValid(title)) throw new DicomNetworkException($"invalid {which} AE title '{title}': 1 to 16 characters of ISO 646 without backslash or control characters");
        Span<byte> field = stackalloc byte[16];
        field.Fill((byte)' ');
        Encoding.ASCII.GetBytes(title, field);
        b.Bytes(field);
    }

    private static void StringItem(Builder b, byte type, string value)
    {
        b.Byte(type);
        b.Byte(0);
        Bytes16(b, Encoding.ASCII.GetBytes(value), "item");
    }

    private static void Bytes16(Builder b, ReadOnlySpan<byte> value, string what)
    {
        if (value.Length > ushort.MaxValue) throw new DicomNetworkException($"{what} of {value.Length} bytes does not fit a 16-bit length");
        b.U16((ushort)value.Length);
        b.Bytes(value);
    }

    private static void UserInformationItem(Builder b, UserInformation info, bool request)
    {
        b.Byte(PduItemType.UserInformation);
        b.Byte(0);
        var length = b.Reserve16();

        b.Byte(PduItemType.MaximumLength);
        b.Byte(0);
        b.U16(4);
        b.U32(info.MaximumLength);

        StringItem(b, PduItemType.ImplementationClassUid, info.ImplementationClassUid);

        if (info.AsynchronousOperationsWindow is { } window)
        {
            b.Byte(PduItemType.AsynchronousOperationsWindow);
            b.Byte(0);
            b.U16(4);
            b.U16(window.MaxOperationsInvoked);
            b.U16(window.MaxOperationsPerformed);
        }

        foreach (var role in info.RoleSelections)
        {
            b.Byte(PduItemType.RoleSelection);
            b.Byte(0);
            var itemLength = b.Reserve16();
            Bytes16(b, Encoding.ASCII.GetBytes(role.SopClassUid), "SOP class UID");
            b.Byte(role.ScuRole ? (byte)1 : (byte)0);
            b.Byte(role.ScpRole ? (byte)1 : (byte)0);
            b.Patch16(itemLength);
        }

        if (info.ImplementationVersionName is { Length: > 0 } name) StringItem(b, PduItemType.ImplementationVersionName, name);

        foreach (var ext in info.ExtendedNegotiations)
        {
            b.Byte(PduItemType.SopClassExtendedNegotiation);
            b.Byte(0);
            var itemLength = b.Reserve16();
            Bytes16(b, Encoding.ASCII.GetBytes(ext.SopClassUid), "SOP class UID");
            b.Bytes(ext.ApplicationInformation.Span);
            b.Patch16(itemLength);
        }

        if (request)
        {
            foreach (var common in info.CommonExtendedNegotiations)
            {
                b.Byte(PduItemType.SopClassCommonExtendedNegotiation);
                b.Byte(0); // sub-item version 0 (PS3.7 Table D.3-12)
                var itemLength = b.Reserve16();
                Bytes16(b, Encoding.ASCII.GetBytes(common.SopClassUid), "SOP class UID");
                Bytes16(b, Encoding.ASCII.GetBytes(common.ServiceClassUid), "service class UID");
                var related = b.Reserve16();
                foreach (var uid in common.RelatedGeneralSopClassUids) Bytes16(b, Encoding.ASCII.GetBytes(uid), "related SOP class UID");
                b.Patch16(related);
                b.Patch16(itemLength);
            }
            if (info.UserIdentityRequest is { } identity)
            {
                b.Byte(PduItemType.UserIdentityRequest);
                b.Byte(0);
                var itemLength = b.Reserve16();
                b.Byte((byte)identity.Type);
                b.Byte(identity.PositiveResponseRequested ? (byte)1 : (byte)0);
                Bytes16(b, identity.PrimaryField.Span, "user identity primary field");
                Bytes16(b, identity.SecondaryField.Span, "user identity secondary field");
                b.Patch16(itemLength);
            }
        }
        else if (info.UserIdentityServerResponse is { } response)
        {
            b.Byte(PduItemType.UserIdentityAccept);
            b.Byte(0);
            var itemLength = b.Reserve16();
            Bytes16(b, response.Span, "user identity server response");
            b.Patch16(itemLength);
        }
        b.Patch16(length);
    }

    /// <summary>A growable buffer with big-endian writers and length fields patched once their content is known.</summary>
    private sealed class Builder
    {
        private byte[] _buffer = new byte[256];
        private int _used;

        public void Byte(byte value) => Span(1)[0] = value;
        public void U16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Span(2), value);
        public void U32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Span(4), value);
        public void Zeros(int n) => Span(n).Clear();
        public void Bytes(ReadOnlySpan<byte> value) => value.CopyTo(Span(value.Length));

        public int Reserve16() { var at = _used; Zeros(2); return at; }
        public int Reserve32() { var at = _used; Zeros(4); return at; }

        public void Patch16(int at)
        {
            var length = _used - at - 2;
            if (length > ushort.MaxValue) throw new DicomNetworkException($"PDU item of {length} bytes does not fit a 16-bit length");
            BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(at), (ushort)length);
        }

        public void Patch32(int at) => BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(at), (uint)(_used - at - 4));

        public byte[] ToArray() => _buffer.AsSpan(0, _used).ToArray();

        private Span<byte> Span(int n)
        {
            if (_buffer.Length - _used < n) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _used + n));
            var span = _buffer.AsSpan(_used, n);
            _used += n;
            return span;
        }
    }
}

/// <summary>Application Entity titles (PS3.5 AE: up to 16 characters of the default repertoire, no backslash or control characters).</summary>
public static class AeTitles
{
    public static bool IsValid(string? title)
    {
        if (string.IsNullOrWhiteSpace(title) || title.Length > 16) return false;
        foreach (var c in title)
        {
            if (c < 0x20 || c > 0x7E || c == '\\') return false;
        }
        return true;
    }
}
