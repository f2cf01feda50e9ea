using System.Diagnostics;
using StackExchange.Redis;

namespace AgentBill.Redis.Tests;

/// <summary>A three-master Redis Cluster of this test run's own, made with redis-cli --cluster create.</summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    private readonly List<RedisServer> _nodes = [];

    public ConnectionMultiplexer Connection { get; private set; } = null!;

    /// <summary>Gets the masters' endpoints.</summary>
    public IReadOnlyList<string> EndPoints => [.. _nodes.Select(node => node.EndPoint)];

    public async ValueTask InitializeAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            _nodes.Add(await RedisServer.StartAsync("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000"));
        }

        var create = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--cluster", "create" }.Concat(_nodes.Select(n => n.EndPoint)).Concat(["--cluster-replicas", "0", "--cluster-yes"]))
        {
            create.ArgumentList.Add(argument);
        }

        using (var process = Process.Start(create)!)
        {
            var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0 || !output.Contains("All 16384 slots covered", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("redis-cli --cluster create failed: " + output);
            }
        }

        Connection = await ConnectionMultiplexer.ConnectAsync(string.Join(',', _nodes.Select(n => n.EndPoint)));
        await WaitForClusterStateOk();
    }

    public RedisBudgetLedger CreateLedger(TimeProvider? time = null)
        => new(Connection, new RedisLedgerOptions { KeyPrefix = "t" + Guid.NewGuid().ToString("N"), Clock = RedisClock.Client, TimeProvider = time });

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    /// <summary>Nodes agree on the slot map a moment after create; ask each until it says the cluster is ok.</summary>
    private async Task WaitForClusterStateOk()
    {
        foreach (var node in _nodes)
        {
            var server = Connection.GetServer(node.EndPoint);
            for (var attempt = 0; ; attempt++)
            {
                var info = (string?)await server.ExecuteAsync("CLUSTER", "INFO");
                if (info?.Contains("cluster_state:ok", StringComparison.Ordinal) == true)
                {
                    break;
                }

                if (attempt == 200)
                {
                    throw new InvalidOperationException("The cluster did not reach cluster_state:ok: " + info);
                }

                await Task.Delay(50);
            }
        }
    }
}
