using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using RadBridge.Dicom.Network.Pdu;

namespace RadBridge.Dicom.Network.Association;

/// <summary>
/// Frames PDUs off a pipe: reads the 6-byte header, checks the type and the length against a limit before taking the
/// body, then decodes it. The body buffer is reused: P-DATA values are valid until the next read.
/// </summary>
internal sealed class PduReader(PipeReader input) : IDisposable
{
    private byte[] _body = [];

    /// <summary>Largest body accepted for a P-DATA-TF PDU: the maximum length we announced (PS3.8 D.1).</summary>
    public uint MaxDataPduLength { get; set; } = 1 << 20;

    /// <summary>Largest body accepted for an A-ASSOCIATE-RQ/AC (they hold many presentation contexts, never megabytes).</summary>
    public uint MaxAssociatePduLength { get; set; } = 1 << 20;

    /// <summary>Reads the next PDU; null when the peer closed the connection cleanly between PDUs.</summary>
    /// <exception cref="DicomPduException">The PDU is malformed or too long.</exception>
    /// <exception cref="EndOfStreamException">The connection closed in the middle of a PDU.</exception>
    public async ValueTask<DicomPdu?> ReadAsync(CancellationToken ct)
    {
        byte type;
        uint length;
        while (true)
        {
            var result = await input.ReadAsync(ct).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Length >= PduEncoder.HeaderLength)
            {
                Span<byte> header = stackalloc byte[PduEncoder.HeaderLength];
                buffer.Slice(0, PduEncoder.HeaderLength).CopyTo(header);
                type = header[0];
                length = BinaryPrimitives.ReadUInt32BigEndian(header[2..]);
                // Decide on the header alone, before waiting for (or allocating) a body the peer only claims.
                Check(type, length);
                input.AdvanceTo(buffer.GetPosition(PduEncoder.HeaderLength));
                break;
            }
            if (result.IsCompleted)
            {
                input.AdvanceTo(buffer.End);
                if (buffer.IsEmpty) return null;
                throw new EndOfStreamException($"connection closed after {buffer.Length} bytes of a PDU header");
            }
            input.AdvanceTo(buffer.Start, buffer.End);
        }

        var size = (int)length;
        if (_body.Length < size) _body = new byte[Math.Max(size, Math.Min(_body.Length * 2, (int)MaxDataPduLength))];
        var filled = 0;
        while (filled < size)
        {
            var result = await input.ReadAsync(ct).ConfigureAwait(false);
            var buffer = result.Buffer;
            var take = (int)Math.Min(buffer.Length, size - filled);
            buffer.Slice(0, take).CopyTo(_body.AsSpan(filled));
            filled += take;
            input.AdvanceTo(buffer.GetPosition(take));
            if (filled < size && result.IsCompleted) throw new EndOfStreamException($"connection closed after {filled} of {size} bytes of a PDU body");
        }
        return PduDecoder.Decode(type, _body.AsMemory(0, size));
    }

    private void Check(byte type, uint length)
    {
        if (!PduDecoder.IsKnownType(type)) throw new DicomPduException(AbortReason.UnrecognizedPdu, $"unrecognized PDU type 0x{type:X2}");
        var limit = (PduType)type switch
        {
            PduType.DataTransfer => MaxDataPduLength,
            PduType.AssociateRequest or PduType.AssociateAccept => MaxAssociatePduLength,
            _ => 4u,
        };
        if (length > limit)
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{(PduType)type} PDU claims {length} bytes, more than the {limit} allowed");
    }

    public void Dispose() => _body = [];
}
