using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Dimse;

namespace RadBridge.Dicom.Network.Services;

/// <summary>Serves one kind of DIMSE request (an SCP role of a service class).</summary>
public interface IDimseService
{
    /// <summary>
    /// Handles a request: reads its data set (if any) and sends the response(s) through <paramref name="request"/>.
    /// Several responses are sent for multi-response operations (C-FIND, C-MOVE, C-GET).
    /// </summary>
    ValueTask HandleAsync(DimseRequest request, CancellationToken ct);
}

/// <summary>A request being served: where it came from, its command, its data set, and how to answer.</summary>
public sealed class DimseRequest(DicomAssociation association, DimseMessage message)
{
    public DicomAssociation Association { get; } = association;
    public NegotiatedPresentationContext PresentationContext => Message.PresentationContext;
    public DimseCommand Command => Message.Command;
    public DimseDataReader? DataSet => Message.DataSet;
    internal DimseMessage Message { get; } = message;

    /// <summary>True once a final (non-pending) response was sent.</summary>
    public bool Answered { get; private set; }

    /// <summary>Sends a response with <paramref name="status"/>; <paramref name="fill"/> adds fields (counts, comments).</summary>
    public async ValueTask RespondAsync(DimseStatus status, Action<DimseCommand>? fill = null,
        Func<Stream, CancellationToken, ValueTask>? writeDataSet = null, CancellationToken ct = default)
    {
        var response = DimseCommand.ResponseTo(Command, status);
        fill?.Invoke(response);
        await Association.SendMessageAsync(PresentationContext.Id, response, writeDataSet, ct).ConfigureAwait(false);
        if (!status.IsPending) Answered = true;
    }
}

/// <summary>
/// Routes DIMSE requests to services by (command, SOP class) — no type checks, one table. What is registered also
/// decides which abstract syntaxes the SCP accepts during negotiation.
/// </summary>
public sealed class DimseServiceRegistry
{
    private readonly Dictionary<(DimseCommandField, string), IDimseService> _services = [];
    private readonly HashSet<string> _abstractSyntaxes = new(StringComparer.Ordinal);

    /// <summary>Registers <paramref name="service"/> for a request command on each SOP class.</summary>
    public DimseServiceRegistry Add(DimseCommandField request, IEnumerable<string> sopClassUids, IDimseService service)
    {
        ArgumentNullException.ThrowIfNull(sopClassUids);
        ArgumentNullException.ThrowIfNull(service);
        if (request.IsResponse()) throw new ArgumentException($"{request.Name()} is a response, not a request", nameof(request));
        foreach (var uid in sopClassUids)
        {
            _services[(request, uid)] = service;
            _abstractSyntaxes.Add(uid);
        }
        return this;
    }

    /// <summary>The service for a request on a SOP class, or null.</summary>
    public IDimseService? Find(DimseCommandField request, string sopClassUid) =>
        _services.TryGetValue((request, sopClassUid), out var service) ? service : null;

    /// <summary>True when some service handles this abstract syntax (SOP class).</summary>
    public bool Supports(string abstractSyntax) => _abstractSyntaxes.Contains(abstractSyntax);

    public IReadOnlyCollection<string> AbstractSyntaxes => _abstractSyntaxes;
}
