using System.Net;
using RadBridge.Archive.Ingest;

namespace RadBridge.Server.Hosting;

/// <summary>The settings of <c>radbridge serve</c>.</summary>
public sealed record ServeOptions
{
    /// <summary>The data directory: files, SQLite index, audit log, keys.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The address both listeners bind to; loopback unless the operator opens it up.</summary>
    public IPAddress Bind { get; init; } = IPAddress.Loopback;
    public int HttpPort { get; init; } = 8042;
    public int DicomPort { get; init; } = 11112;
    public string AeTitle { get; init; } = "RADBRIDGE";

    /// <summary>A PostgreSQL connection string; null for the embedded SQLite index.</summary>
    public string? DatabaseConnectionString { get; init; }

    /// <summary>A PKCS#12 certificate: HTTPS on the HTTP port and DICOM TLS on the DICOM port.</summary>
    public string? TlsCertificatePath { get; init; }
    public string? TlsCertificatePassword { get; init; }

    /// <summary>Skip creating the demo partnership in an empty data directory.</summary>
    public bool NoDemo { get; init; }

    public DuplicatePolicy Duplicates { get; init; } = DuplicatePolicy.Reject;

    /// <summary>Where the built web app is (issue 7); null serves none.</summary>
    public string? WebRoot { get; init; }
}
