using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace AgentBill.Server.Tests.Protocol;

/// <summary>Sends protocol requests as raw JSON text (as the SDKs do) and reads the answers as JSON.</summary>
internal sealed class ProtocolClient(HttpClient http) : IDisposable
{
    public async Task<(HttpStatusCode Status, JsonObject Body)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject());
    }

    public Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(string path, string json) => SendAsync(HttpMethod.Post, path, json);

    public Task<(HttpStatusCode Status, JsonObject Body)> PutAsync(string path, string json) => SendAsync(HttpMethod.Put, path, json);

    public Task<(HttpStatusCode Status, JsonObject Body)> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public void Dispose() => http.Dispose();
}
