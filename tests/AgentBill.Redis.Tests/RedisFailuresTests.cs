using StackExchange.Redis;

namespace AgentBill.Redis.Tests;

/// <summary>Which Redis errors mean "out of reach, try again" (the failure mode applies) and which are mistakes.</summary>
public sealed class RedisFailuresTests
{
    [Theory]
    [InlineData("LOADING Redis is loading the dataset in memory")]
    [InlineData("READONLY You can't write against a read only replica.")]
    [InlineData("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.")]
    [InlineData("CLUSTERDOWN The cluster is down")]
    [InlineData("TRYAGAIN Multiple keys request during rehashing of slot")]
    [InlineData("BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.")]
    [InlineData("NOREPLICAS Not enough good replicas to write.")]
    public async Task A_reply_that_means_not_now_is_unavailable(string reply)
    {
        var ex = await Assert.ThrowsAsync<AgentBillUnavailableException>(() => RedisFailures.GuardAsync(() => Task.FromException<bool>(new RedisServerException(reply))));

        Assert.IsType<RedisServerException>(ex.InnerException);
    }

    [Fact]
    public async Task A_lost_connection_is_unavailable()
        => await Assert.ThrowsAsync<AgentBillUnavailableException>(() => RedisFailures.GuardAsync(() => Task.FromException<bool>(new RedisConnectionException(ConnectionFailureType.SocketFailure, "gone"))));

    [Fact]
    public async Task A_timeout_is_unavailable()
        => await Assert.ThrowsAsync<AgentBillUnavailableException>(() => RedisFailures.GuardAsync(() => Task.FromException<bool>(new RedisTimeoutException("slow", CommandStatus.Sent))));

    [Fact]
    public async Task A_closed_connection_is_unavailable()
        => await Assert.ThrowsAsync<AgentBillUnavailableException>(() => RedisFailures.GuardAsync(() => Task.FromException<bool>(new ObjectDisposedException("ConnectionMultiplexer"))));

    [Fact]
    public async Task Any_other_server_error_is_a_mistake_and_surfaces_as_it_is()
        => await Assert.ThrowsAsync<RedisServerException>(() => RedisFailures.GuardAsync(() => Task.FromException<bool>(new RedisServerException("ERR unknown command 'FOO'"))));

    [Fact]
    public async Task An_error_a_script_raises_on_purpose_is_an_invalid_operation_with_its_message()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => RedisFailures.GuardAsync(() => Task.FromException<bool>(new RedisServerException("AGENTBILL a hold with this id is already open"))));

        Assert.Equal("a hold with this id is already open", ex.Message);
    }
}
