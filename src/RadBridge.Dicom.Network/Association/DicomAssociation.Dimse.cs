using System.Runtime.CompilerServices;
using RadBridge.Dicom.Network.Dimse;
using RadBridge.Dicom.Network.Pdu;

namespace RadBridge.Dicom.Network.Association;

/// <summary>The DIMSE side of an association: messages as command and data PDVs (PS3.8 Annex E, PS3.7 §6.3.1).</summary>
public sealed partial class DicomAssociation
{
    // Commands are a few hundred bytes; anything near this is a hostile or broken peer.
    private const int MaxCommandLength = 64 * 1024;

    /// <summary>Largest PDV data we put in one P-DATA-TF: the peer's maximum, capped by ours, minus the PDV header.</summary>
    internal int MaxPdvDataLength
    {
        get
        {
            var limit = PeerMaxPduLength == 0 ? _options.MaxPduLength : Math.Min(PeerMaxPduLength, _options.MaxPduLength);
            return (int)Math.Max(limit, 1024) - PduEncoder.PdvHeaderLength;
        }
    }

    /// <summary>
    /// Sends one DIMSE message: the command, then (when <paramref name="writeDataSet"/> is given) the data set the
    /// callback writes, cut into PDVs as it goes.
    /// </summary>
    public async ValueTask SendMessageAsync(byte presentationContextId, DimseCommand command, Func<Stream, CancellationToken, ValueTask>? writeDataSet, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.HasDataSet = writeDataSet is not null;
        var bytes = command.Encode();
        var max = MaxPdvDataLength;
        for (var at = 0; at < bytes.Length; at += max)
        {
            var n = Math.Min(max, bytes.Length - at);
            await SendPdvAsync(presentationContextId, true, at + n == bytes.Length, bytes.AsMemory(at, n), ct).ConfigureAwait(false);
        }
        if (writeDataSet is null) return;
        var stream = new PDataStream(this, presentationContextId, max, ct);
        await using (stream.ConfigureAwait(false))
        {
            await writeDataSet(stream, ct).ConfigureAwait(false);
            await stream.CompleteAsync().ConfigureAwait(false);
        }
    }

    internal async ValueTask SendPdvAsync(byte contextId, bool isCommand, bool isLast, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        if (!Allows(UpperLayerEvent.Evt9)) throw new DicomNetworkException($"{Id}: cannot send data in {State}");
        Fire(UpperLayerEvent.Evt9); // DT-1 (AR-7 while awaiting our release response)
        var header = _output.GetSpan(12);
        PduEncoder.WriteSinglePdvHeader(header, contextId, isCommand, isLast, data.Length);
        _output.Advance(12);
        await _output.WriteAsync(data, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the next DIMSE message's command. Returns null when the peer asked to release the association instead
    /// (A-RELEASE-RQ between messages); the caller answers with <see cref="RespondToReleaseAsync"/>.
    /// </summary>
    /// <exception cref="DicomNetworkException">The association was aborted, broke the protocol or timed out (it is closed then).</exception>
    public async ValueTask<DimseMessage?> ReadMessageAsync(TimeSpan timeout, CancellationToken ct)
    {
        if (TakeReadAhead() is { } ahead) return await ahead.ConfigureAwait(false);
        return await ReadMessageDirectAsync(timeout, ct).ConfigureAwait(false);
    }

    private async ValueTask<DimseMessage?> ReadMessageDirectAsync(TimeSpan timeout, CancellationToken ct)
    {
        byte[] command = new byte[256];
        var length = 0;
        byte contextId = 0;
        while (true)
        {
            var pdv = await NextPdvAsync(timeout, length == 0, "a DIMSE command", ct).ConfigureAwait(false);
            if (pdv is null) return null;
            var v = pdv.Value;
            if (!v.IsCommand || (length > 0 && v.PresentationContextId != contextId) || FindContext(v.PresentationContextId) is null)
            {
                throw await ProtocolErrorAsync(!v.IsCommand
                    ? "data set fragment where a command was expected"
                    : $"command fragment on presentation context {v.PresentationContextId}, not an accepted one of this message").ConfigureAwait(false);
            }
            contextId = v.PresentationContextId;
            if (length + v.Data.Length > MaxCommandLength) throw await ProtocolErrorAsync($"command set longer than {MaxCommandLength} bytes").ConfigureAwait(false);
            if (command.Length < length + v.Data.Length) Array.Resize(ref command, Math.Max(command.Length * 2, length + v.Data.Length));
            v.Data.Span.CopyTo(command.AsSpan(length));
            length += v.Data.Length;
            if (v.IsLast) break;
        }
        DimseCommand parsed;
        try
        {
            parsed = DimseCommand.Decode(command.AsSpan(0, length));
        }
        catch (DicomNetworkException ex)
        {
            throw await ProtocolErrorAsync(ex.Message).ConfigureAwait(false);
        }
        var context = FindContext(contextId)!;
        return new DimseMessage(context, parsed, parsed.HasDataSet ? new DimseDataReader(this, contextId, timeout) : null);
    }

    /// <summary>
    /// The next PDV; null when an A-RELEASE-RQ arrives and <paramref name="releaseAllowed"/> (between messages).
    /// Everything else that is not P-DATA ends the association per Table 9-10 and throws.
    /// </summary>
    internal async ValueTask<PresentationDataValue?> NextPdvAsync(TimeSpan timeout, bool releaseAllowed, string waitingFor, CancellationToken ct)
    {
        while (_pendingIndex >= _pending.Count)
        {
            var outcome = await ReceiveAsync(timeout, ct).ConfigureAwait(false);
            switch (outcome.Pdu)
            {
                case DataTransferPdu data:
                    Fire(UpperLayerEvent.Evt10); // DT-2 (AR-6 while awaiting the release response)
                    _pending = data.Values;
                    _pendingIndex = 0;
                    continue;
                case ReleaseRequestPdu when releaseAllowed && State == UpperLayerState.Sta6:
                    Fire(UpperLayerEvent.Evt12); // AR-2: A-RELEASE indication → Sta8
                    return null;
                default:
                    throw await FailAsync(outcome, waitingFor).ConfigureAwait(false);
            }
        }
        return _pending[_pendingIndex++];
    }

    /// <summary>A DIMSE-level protocol violation: A-ABORT (service-provider) and close.</summary>
    internal async ValueTask<Exception> ProtocolErrorAsync(string problem)
    {
        await ProviderAbortAsync(UpperLayerEvent.Evt19, new AbortPdu(AbortSource.ServiceProvider, AbortReason.UnexpectedPduParameter), problem).ConfigureAwait(false);
        return new DicomPduException(AbortReason.UnexpectedPduParameter, problem);
    }

    /// <summary>Answers a peer's A-RELEASE-RQ (Evt14, AR-4) and closes once the peer has (ARTIM).</summary>
    public async ValueTask RespondToReleaseAsync()
    {
        Fire(UpperLayerEvent.Evt14); // AR-4: A-RELEASE-RP, start ARTIM → Sta13
        using (var timer = new CancellationTokenSource(_options.ArtimTimeout))
        {
            await SendPduAsync(new ReleaseResponsePdu(), timer.Token).ConfigureAwait(false);
        }
        NetworkLog.Released(Logger, Id);
        await AwaitCloseAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a request and yields its responses: pending ones as they come, then the final one (PS3.7 §9.1: C-FIND,
    /// C-MOVE and C-GET answer with several). Response data sets are read into memory (identifiers are small).
    /// </summary>
    public async IAsyncEnumerable<DimseResponse> SendRequestAsync(byte presentationContextId, DimseCommand request,
        Func<Stream, CancellationToken, ValueTask>? writeDataSet, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await SendMessageAsync(presentationContextId, request, writeDataSet, ct).ConfigureAwait(false);
        while (true)
        {
            var message = await ReadMessageAsync(_options.DimseTimeout, ct).ConfigureAwait(false)
                ?? throw await ProtocolErrorAsync($"A-RELEASE-RQ while waiting for the {request.CommandField.ResponseTo().Name()}").ConfigureAwait(false);
            byte[]? data = null;
            if (message.DataSet is { } reader)
            {
                using var buffer = new MemoryStream();
                await reader.CopyToAsync(buffer, ct).ConfigureAwait(false);
                data = buffer.ToArray();
            }
            var command = message.Command;
            if (command.CommandField != request.CommandField.ResponseTo() || command.MessageIdBeingRespondedTo != request.MessageId)
            {
                throw await ProtocolErrorAsync($"{command.CommandField.Name()} for message {command.MessageIdBeingRespondedTo} while waiting for the {request.CommandField.ResponseTo().Name()} to message {request.MessageId}").ConfigureAwait(false);
            }
            var response = new DimseResponse(command, data);
            yield return response;
            if (!command.Status.IsPending) yield break;
        }
    }

    /// <summary>
    /// A stream that cuts what is written into PDVs of at most the negotiated size. The last PDV (with the "last" flag)
    /// is only known at <see cref="CompleteAsync"/>, so one full fragment is always held back.
    /// </summary>
    private sealed class PDataStream(DicomAssociation association, byte contextId, int fragmentLength, CancellationToken ct) : Stream
    {
        private readonly byte[] _buffer = new byte[fragmentLength];
        private int _used;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
        {
            while (!data.IsEmpty)
            {
                if (_used == _buffer.Length)
                {
                    await association.SendPdvAsync(contextId, false, false, _buffer, ct).ConfigureAwait(false);
                    _used = 0;
                }
                var n = Math.Min(data.Length, _buffer.Length - _used);
                data.Span[..n].CopyTo(_buffer.AsSpan(_used));
                _used += n;
                data = data[n..];
            }
        }

        public async ValueTask CompleteAsync()
        {
            await association.SendPdvAsync(contextId, false, true, _buffer.AsMemory(0, _used), ct).ConfigureAwait(false);
            await association._output.FlushAsync(ct).ConfigureAwait(false);
        }
    }
}

/// <summary>A received DIMSE message: its presentation context, command, and the data set still to be read (if any).</summary>
public sealed record DimseMessage(NegotiatedPresentationContext PresentationContext, DimseCommand Command, DimseDataReader? DataSet);

/// <summary>A DIMSE response with its data set bytes (in the context's transfer syntax), if it had one.</summary>
public sealed record DimseResponse(DimseCommand Command, byte[]? DataSet)
{
    public DimseStatus Status => Command.Status;
}

/// <summary>
/// Pulls the data set fragments of the message being received, straight from the association (nothing is buffered
/// beyond one PDU). Must be read to the end (or <see cref="DrainAsync"/>ed) before the next message.
/// </summary>
public sealed class DimseDataReader
{
    private readonly DicomAssociation _association;
    private readonly byte _contextId;
    private readonly TimeSpan _timeout;

    internal DimseDataReader(DicomAssociation association, byte contextId, TimeSpan timeout)
    {
        _association = association;
        _contextId = contextId;
        _timeout = timeout;
    }

    /// <summary>True once the fragment with the "last" flag was read.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>Bytes read so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>The next fragment (valid until the next call), or null at the end of the data set.</summary>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadAsync(CancellationToken ct)
    {
        if (IsComplete) return null;
        var pdv = await _association.NextPdvAsync(_timeout, false, "a data set fragment", ct).ConfigureAwait(false);
        var v = pdv!.Value;
        if (v.IsCommand || v.PresentationContextId != _contextId)
        {
            throw await _association.ProtocolErrorAsync(v.IsCommand
                ? "command fragment in the middle of a data set"
                : $"data set fragment on presentation context {v.PresentationContextId}, expected {_contextId}").ConfigureAwait(false);
        }
        IsComplete = v.IsLast;
        BytesRead += v.Data.Length;
        return v.Data;
    }

    /// <summary>Copies the rest of the data set to a stream.</summary>
    public async ValueTask CopyToAsync(Stream destination, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(destination);
        while (await ReadAsync(ct).ConfigureAwait(false) is { } fragment)
        {
            await destination.WriteAsync(fragment, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Reads and discards the rest of the data set.</summary>
    public async ValueTask DrainAsync(CancellationToken ct)
    {
        while (await ReadAsync(ct).ConfigureAwait(false) is not null)
        {
        }
    }
}
