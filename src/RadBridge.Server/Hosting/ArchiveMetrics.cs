using System.Diagnostics.Metrics;

namespace RadBridge.Server.Hosting;

/// <summary>The archive's own metrics (exported with ASP.NET Core's and the runtime's on <c>/metrics</c>).</summary>
public sealed class ArchiveMetrics : IDisposable
{
    public const string MeterName = "RadBridge.Archive";
    private readonly Meter _meter = new(MeterName);

    public ArchiveMetrics()
    {
        InstancesStored = _meter.CreateCounter<long>("radbridge_instances_stored", description: "Instances stored (C-STORE and STOW), by channel and outcome");
        BytesStored = _meter.CreateCounter<long>("radbridge_bytes_stored", "By", "Bytes of stored instances");
        Queries = _meter.CreateCounter<long>("radbridge_queries", description: "QIDO and C-FIND queries, by channel and level");
        DimseAssociations = _meter.CreateCounter<long>("radbridge_dimse_associations", description: "DICOM associations served, by calling AE");
        DimseRefused = _meter.CreateCounter<long>("radbridge_dimse_associations_refused", description: "DICOM associations refused by the archive's authorisation, by reason");
    }

    public Counter<long> InstancesStored { get; }
    public Counter<long> BytesStored { get; }
    public Counter<long> Queries { get; }
    public Counter<long> DimseAssociations { get; }
    public Counter<long> DimseRefused { get; }

    public void Dispose() => _meter.Dispose();
}
