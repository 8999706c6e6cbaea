using System.CommandLine;
using System.Net;
using Microsoft.Extensions.Hosting;
using RadBridge.Archive;
using RadBridge.Archive.Ingest;
using RadBridge.Server.Hosting;

namespace RadBridge.Cli.Commands;

/// <summary>
/// <c>radbridge serve</c>: the archive server — DICOMweb, the API and the web app on the HTTP port, the archive SCP on
/// the DICOM port — with embedded defaults (data in ./data, SQLite index) so that it starts with no configuration.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Data directory (default: $RADBRIDGE_DATA, else ./data)" };
        var bind = new Option<string>("--bind") { Description = "Address to listen on (default 127.0.0.1; 0.0.0.0 for a real deployment)", DefaultValueFactory = _ => "127.0.0.1" };
        var httpPort = new Option<int>("--http-port") { Description = "HTTP(S) port: web app, DICOMweb, API", DefaultValueFactory = _ => 8042 };
        var dicomPort = new Option<int>("--dicom-port") { Description = "DICOM port of the archive SCP", DefaultValueFactory = _ => 11112 };
        var aet = new Option<string>("--aet") { Description = "The archive's AE title", DefaultValueFactory = _ => "RADBRIDGE" };
        var db = new Option<string?>("--db") { Description = "PostgreSQL connection string (Npgsql); default: SQLite in the data directory" };
        var tlsCert = new Option<string?>("--tls-cert") { Description = "PKCS#12 certificate: HTTPS, and DICOM TLS on the DICOM port" };
        var tlsPassword = new Option<string?>("--tls-password") { Description = "Password of the --tls-cert file (or $RADBRIDGE_TLS_PASSWORD)" };
        var noDemo = new Option<bool>("--no-demo") { Description = "Do not create the demo partnership in an empty data directory" };
        var duplicates = new Option<DuplicatePolicy>("--duplicates") { Description = "A SOP Instance UID sent again with different content: Reject (default) or KeepNewest", DefaultValueFactory = _ => DuplicatePolicy.Reject };
        var command = new Command("serve", "Run the archive server (DICOMweb, API, web app, DICOM SCP)")
        {
            data, bind, httpPort, dicomPort, aet, db, tlsCert, tlsPassword, noDemo, duplicates,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (!IPAddress.TryParse(parse.GetValue(bind), out var address))
            {
                CliErrors.Report("serve", $"--bind '{parse.GetValue(bind)}' is not an IP address");
                return CliErrors.Failure;
            }
            var options = new ServeOptions
            {
                DataDirectory = ArchiveLocation.DefaultDataDirectory(parse.GetValue(data)),
                Bind = address,
                HttpPort = parse.GetValue(httpPort),
                DicomPort = parse.GetValue(dicomPort),
                AeTitle = parse.GetValue(aet)!,
                DatabaseConnectionString = parse.GetValue(db) ?? Environment.GetEnvironmentVariable("RADBRIDGE_DB"),
                TlsCertificatePath = parse.GetValue(tlsCert),
                TlsCertificatePassword = parse.GetValue(tlsPassword) ?? Environment.GetEnvironmentVariable("RADBRIDGE_TLS_PASSWORD"),
                NoDemo = parse.GetValue(noDemo),
                Duplicates = parse.GetValue(duplicates),
                WebRoot = WebRoot(),
            };
            try
            {
                var app = await ArchiveServer.BuildAsync(options, Console.Out, ct);
                await using (app.ConfigureAwait(false))
                {
                    await app.StartAsync(ct);
                    Console.Out.WriteLine($"RadBridge archive is running. Open {ArchiveServer.PublicUrl(options)}/ to log in.");
                    Console.Out.WriteLine($"  DICOMweb: {ArchiveServer.PublicUrl(options)}/dicomweb   DICOM: {options.AeTitle}@{options.Bind}:{options.DicomPort}");
                    Console.Out.WriteLine($"  data: {Path.GetFullPath(options.DataDirectory)}   index: {(options.DatabaseConnectionString is null ? "SQLite" : "PostgreSQL")}");
                    await app.WaitForShutdownAsync(ct);
                }
                return 0;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return 0;
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or InvalidOperationException or System.Data.Common.DbException or System.Security.Cryptography.CryptographicException)
            {
                CliErrors.Report("serve", ex.GetBaseException().Message);
                return CliErrors.Failure;
            }
        });
        return command;
    }

    // The built web app (issue 7) beside the repository's web/ folder, when present.
    private static string? WebRoot()
    {
        var candidate = Environment.GetEnvironmentVariable("RADBRIDGE_WEBROOT");
        return candidate is { Length: > 0 } && Directory.Exists(candidate) ? candidate : null;
    }
}
