using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace AgentBill.Extensions.AI.Tests.OpenAI;

/// <summary>
/// An OpenAI-compatible server on a free loopback port, for the real OpenAI client: it keeps every request body and
/// answers each with the reply the test scripted, a chat completion, an event stream, a stream cut off, or a hang.
/// </summary>
internal sealed class LocalOpenAIServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _serving;
    private readonly List<JsonObject> _requests = [];
    private readonly Func<JsonObject, ServerReply> _reply;
    private readonly CancellationTokenSource _stopping = new();

    private LocalOpenAIServer(HttpListener listener, Uri endpoint, Func<JsonObject, ServerReply> reply)
    {
        _listener = listener;
        _reply = reply;
        Endpoint = endpoint;
        _serving = ServeAsync();
    }

    /// <summary>Gets the API's base address, <c>http://127.0.0.1:port/v1</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>Gets the request bodies received, in order.</summary>
    public IReadOnlyList<JsonObject> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Starts a server that answers every request with <paramref name="reply"/>.</summary>
    public static LocalOpenAIServer Start(Func<JsonObject, ServerReply> reply)
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new LocalOpenAIServer(listener, new Uri($"http://127.0.0.1:{port}/v1"), reply);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                // Another process took the port between the probe and the start: try another.
                listener.Close();
            }
        }
    }

    /// <summary>Starts a server that answers every request the same way.</summary>
    public static LocalOpenAIServer Start(ServerReply reply) => Start(_ => reply);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        _listener.Close();
        try
        {
            await _serving;
        }
        catch (ObjectDisposedException)
        {
        }

        _stopping.Dispose();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = AnswerAsync(context);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        JsonObject body;
        using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
        {
            body = JsonNode.Parse(await reader.ReadToEndAsync())!.AsObject();
        }

        lock (_requests)
        {
            _requests.Add(body);
        }

        var response = context.Response;
        try
        {
            await _reply(body).WriteAsync(response, _stopping.Token);
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away, as a cancelled call does, or the server is stopping.
        }
    }
}

/// <summary>What the local server answers.</summary>
internal abstract class ServerReply
{
    /// <summary>A chat completion with the given usage JSON (<see langword="null"/> leaves the field out).</summary>
    public static ServerReply Completion(string text, string? usageJson, string model = "gpt-4o-mini")
        => new JsonReply($$"""
            {"id":"chatcmpl-1","object":"chat.completion","created":1767225600,"model":"{{model}}",
             "choices":[{"index":0,"message":{"role":"assistant","content":"{{text}}"},"finish_reason":"stop"}]{{(usageJson is null ? string.Empty : $",\"usage\":{usageJson}")}}}
            """);

    /// <summary>An embeddings response with the given usage JSON.</summary>
    public static ServerReply Embeddings(int count, string usageJson, string model = "text-embedding-3-large")
        => new JsonReply($$"""
            {"object":"list","model":"{{model}}","data":[{{string.Join(',', Enumerable.Range(0, count).Select(i => $"{{\"object\":\"embedding\",\"index\":{i},\"embedding\":[0.5,0.25]}}"))}}],"usage":{{usageJson}}}
            """);

    /// <summary>
    /// A chat completion stream: one chunk per text piece (each with <paramref name="chunkUsage"/> when given, as vLLM's
    /// <c>continuous_usage_stats</c> does), a finishing chunk, then a usage-only chunk when <paramref name="finalUsage"/> is
    /// given (<c>stream_options.include_usage</c>), then <c>[DONE]</c>; or, when <paramref name="cutOff"/>, the connection
    /// dropped after the text pieces.
    /// </summary>
    public static ServerReply Stream(IReadOnlyList<string> pieces, string? finalUsage, Func<int, string>? chunkUsage = null, bool cutOff = false, string model = "gpt-4o-mini")
    {
        var events = new List<string>();
        for (var i = 0; i < pieces.Count; i++)
        {
            var usage = chunkUsage is null ? string.Empty : $",\"usage\":{chunkUsage(i)}";
            events.Add($$"""{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1767225600,"model":"{{model}}","choices":[{"index":0,"delta":{{{(i == 0 ? "\"role\":\"assistant\"," : string.Empty)}}"content":"{{pieces[i]}}"},"finish_reason":null}]{{usage}}}""");
        }

        if (!cutOff)
        {
            var usage = chunkUsage is null ? string.Empty : $",\"usage\":{chunkUsage(pieces.Count - 1)}";
            events.Add($$"""{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1767225600,"model":"{{model}}","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]{{usage}}}""");
            if (finalUsage is not null)
            {
                events.Add($$"""{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1767225600,"model":"{{model}}","choices":[],"usage":{{finalUsage}}}""");
            }
        }

        return new EventStreamReply(events, cutOff);
    }

    /// <summary>Takes the request and never answers: only the client's cancellation (or the server stopping) ends the call.</summary>
    public static ServerReply Hang(TaskCompletionSource received) => new HangReply(received);

    public abstract Task WriteAsync(HttpListenerResponse response, CancellationToken stopping);

    private sealed class JsonReply(string json) : ServerReply
    {
        public override async Task WriteAsync(HttpListenerResponse response, CancellationToken stopping)
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            response.ContentType = "application/json";
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes);
            response.Close();
        }
    }

    private sealed class EventStreamReply(IReadOnlyList<string> events, bool cutOff) : ServerReply
    {
        public override async Task WriteAsync(HttpListenerResponse response, CancellationToken stopping)
        {
            response.ContentType = "text/event-stream";
            response.SendChunked = true;
            foreach (var data in events)
            {
                await response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes($"data: {data}\n\n"));
                await response.OutputStream.FlushAsync();
            }

            if (cutOff)
            {
                response.Abort();
                return;
            }

            await response.OutputStream.WriteAsync("data: [DONE]\n\n"u8.ToArray());
            response.Close();
        }
    }

    private sealed class HangReply(TaskCompletionSource received) : ServerReply
    {
        public override async Task WriteAsync(HttpListenerResponse response, CancellationToken stopping)
        {
            received.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, stopping);
            }
            finally
            {
                response.Abort();
            }
        }
    }
}
