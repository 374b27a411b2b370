using System;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;

namespace QlikQrs.Benchmarks;

/// <summary>
/// Speed as ratios against a baseline in the same run, by hand, never in CI. The first argument picks the part (all
/// of them when left out); the ones after it are that part's sizes.
/// </summary>
public static class Program
{
    private const string Usage = """
        usage: dotnet run -c Release --project tests/QlikQrs.Benchmarks -- [part] [arguments]
          read     [users=100000] [manifest] Get-QrsEntity -Type User -Full against raw HttpClient
                                             (and against another build's manifest, when given)
          transfer [gigabytes=4]             Import-QrsApp / Export-QrsApp against a raw HttpClient stream copy
          bulk     [tags=10000] [latency=0]  Remove-QrsEntity -ThrottleLimit 8 against 1; latency: ms the sandbox adds per call
          cold     [runs=5] [manifest]       import + connect + first call in a fresh pwsh, against a raw first call
                                             (and against another build's manifest, when given)
          all                                every part with its defaults
        """;

    public static async Task<int> Main(string[] args)
    {
        string part = args.Length > 0 ? args[0].ToLowerInvariant() : "all";
        string[] rest = args.Skip(1).ToArray();
        switch (part)
        {
            case "read":
                await ReadBenchmark.RunAsync(Int(rest, 0, 100_000), rest.ElementAtOrDefault(1));
                return 0;
            case "transfer":
                await TransferBenchmark.RunAsync((long)(double.Parse(rest.ElementAtOrDefault(0) ?? "4", CultureInfo.InvariantCulture) * (1L << 30)));
                return 0;
            case "bulk":
                await BulkBenchmark.RunAsync(Int(rest, 0, 10_000), TimeSpan.FromMilliseconds(Int(rest, 1, 0)));
                return 0;
            case "cold":
                await ColdStartBenchmark.RunAsync(Int(rest, 0, 5), rest.ElementAtOrDefault(1));
                return 0;
            case "all":
                await ReadBenchmark.RunAsync(100_000, null);
                await TransferBenchmark.RunAsync(4L << 30);
                await BulkBenchmark.RunAsync(10_000, TimeSpan.Zero);
                await ColdStartBenchmark.RunAsync(5, null);
                return 0;
            default:
                Console.Error.WriteLine(Usage);
                return 2;
        }
    }

    private static int Int(string[] args, int index, int fallback) =>
        args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
}
