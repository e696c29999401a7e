using System.Net.Http.Json;
using System.Text.Json;

namespace Moltworker.EndToEnd.Tests.Api;

/// <summary>Checks on the HTTP API's answers.</summary>
internal static class ApiResponses
{
    /// <summary>Asserts an RFC 9457 problem body with the given status, and returns it.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<JsonElement>(text);
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("type").GetString()), text);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()), text);
        return problem;
    }

    public static string Detail(this JsonElement problem) => problem.GetProperty("detail").GetString() ?? "";

    public static Task<HttpResponseMessage> PostJsonTextAsync(this HttpClient http, string path, string json) =>
        http.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    public static async Task<JsonElement> ChatOkAsync(this HttpClient http, object body)
    {
        using var response = await http.PostAsJsonAsync("/api/chat", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<JsonElement>(text);
    }
}
