using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using RadBridge.Dicom;
using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Services;
using Spectre.Console;

namespace RadBridge.Cli.Commands;

/// <summary>
/// <c>radbridge send HOST PORT PATH...</c>: C-STORE files and folders (recursive) to a storage SCP, over N parallel
/// associations, each file's data set streamed from disk in its own transfer syntax when the peer accepts it.
/// </summary>
internal static class SendCommand
{
    public static Command Create()
    {
        var host = NetworkOptions.Host();
        var port = NetworkOptions.Port();
        var paths = new Argument<string[]>("PATH") { Description = "DICOM files or folders (searched recursively)", Arity = ArgumentArity.OneOrMore };
        var aet = NetworkOptions.CallingAe();
        var called = NetworkOptions.CalledAe();
        var parallel = new Option<int>("--parallel") { Description = "Associations used at once", DefaultValueFactory = _ => 1 };
        var timeout = NetworkOptions.Timeout();
        var command = new Command("send", "Send DICOM files to a storage SCP with C-STORE") { host, port, paths, aet, called, parallel, timeout };
        var tls = new ClientTlsOptions();
        tls.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var peer = $"{parse.GetValue(host)}:{parse.GetValue(port)}";
            DicomTlsClientOptions? tlsOptions;
            try
            {
                tlsOptions = tls.Build(parse);
            }
            catch (DicomException ex)
            {
                CliErrors.Report("send", ex.Message);
                return CliErrors.Failure;
            }
            var options = NetworkOptions.Client(parse, aet, called, timeout) with { Tls = tlsOptions };
            var failed = 0;
            var sources = new List<StoreSource>();
            foreach (var file in Expand(parse.GetValue(paths)!))
            {
                try
                {
                    sources.Add(StoreSource.Open(file));
                }
                catch (Exception ex) when (ex is DicomException or IOException or UnauthorizedAccessException)
                {
                    CliErrors.Report(file, ex.Message);
                    failed++;
                }
            }
            var unreadable = failed;
            if (sources.Count == 0)
            {
                if (failed == 0) CliErrors.Report("send", "no files to send");
                return CliErrors.Failure;
            }

            var workers = Math.Clamp(parse.GetValue(parallel), 1, 64);
            var queue = new ConcurrentQueue<StoreSource>(sources);
            var sent = 0;
            long bytes = 0;
            var clock = Stopwatch.StartNew();
            async Task Worker(Action advance)
            {
                while (!queue.IsEmpty && !ct.IsCancellationRequested)
                {
                    // One association per batch of files whose contexts fit in one A-ASSOCIATE-RQ (128 at most).
                    var batch = new List<StoreSource>();
                    var proposal = new PresentationContextProposal();
                    while (batch.Count < 500 && queue.TryPeek(out var next))
                    {
                        if (proposal.Contexts.Count >= 126 && !proposal.Contexts.Any(c => c.AbstractSyntax == next.SopClassUid && c.TransferSyntaxes[0] == next.TransferSyntax.Uid)) break;
                        if (!queue.TryDequeue(out var taken)) break;
                        StorageScu.Propose([taken], proposal);
                        batch.Add(taken);
                    }
                    if (batch.Count == 0) return;
                    var done = 0;
                    try
                    {
                        var association = await DicomClient.ConnectAsync(parse.GetValue(host)!, parse.GetValue(port), options, proposal, ct);
                        await using (association)
                        {
                            foreach (var source in batch)
                            {
                                try
                                {
                                    var status = await association.StoreAsync(source, ct);
                                    if (status.IsSuccessOrWarning)
                                    {
                                        Interlocked.Increment(ref sent);
                                        Interlocked.Add(ref bytes, new FileInfo(source.Path).Length);
                                    }
                                    else
                                    {
                                        CliErrors.Report(source.Path, $"C-STORE answered {status}");
                                        Interlocked.Increment(ref failed);
                                    }
                                }
                                catch (DicomException ex) when (association.IsEstablished)
                                {
                                    CliErrors.Report(source.Path, ex.Message);
                                    Interlocked.Increment(ref failed);
                                }
                                done++;
                                advance();
                            }
                            await association.ReleaseAsync(ct);
                        }
                    }
                    catch (DicomException ex)
                    {
                        // The association failed (refused, aborted, lost): the rest of its batch was not sent.
                        CliErrors.Report($"send {peer}", ex.Message);
                        Interlocked.Add(ref failed, batch.Count - done);
                        return;
                    }
                }
            }

            if (Console.IsErrorRedirected || sources.Count < 2)
            {
                await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Worker(() => { })));
            }
            else
            {
                var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
                await console.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .StartAsync(async progress =>
                    {
                        var task = progress.AddTask($"sending to {peer}", maxValue: sources.Count);
                        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Worker(() => task.Increment(1))));
                    });
            }
            var elapsed = Math.Max(clock.Elapsed.TotalSeconds, 0.001);
            Console.Out.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"sent {sent} of {sources.Count + unreadable} files ({bytes / 1048576.0:F1} MB) to {peer} in {elapsed:F1} s ({bytes / 1048576.0 / elapsed:F1} MB/s), {failed} failed"));
            return failed == 0 && sent == sources.Count ? 0 : CliErrors.Failure;
        });
        return command;
    }

    private static IEnumerable<string> Expand(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    if (!Path.GetFileName(file).StartsWith('.')) yield return file;
                }
            }
            else
            {
                yield return path;
            }
        }
    }
}
