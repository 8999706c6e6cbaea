using Spectre.Console;

namespace RadBridge.Cli.Commands;

/// <summary>A progress bar on stderr for work over many files, shown only when stderr is a terminal (never in pipes or CI logs).</summary>
internal static class CliProgress
{
    public static void Run(string description, IReadOnlyList<string> items, Action<string> work)
    {
        if (Console.IsErrorRedirected || items.Count < 2)
        {
            foreach (var item in items) work(item);
            return;
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(description, maxValue: items.Count);
                foreach (var item in items)
                {
                    work(item);
                    task.Increment(1);
                }
            });
    }
}
