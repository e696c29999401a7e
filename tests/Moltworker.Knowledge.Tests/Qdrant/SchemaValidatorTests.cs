using System.Text.Json;
using Moltworker.Testing.Qdrant;

namespace Moltworker.Knowledge.Tests.Qdrant;

public class SchemaValidatorTests
{
    private static List<string> Validate(string schema, string json)
    {
        using var doc = JsonDocument.Parse(json);
        return QdrantOpenApi.Instance.Validator.Validate(doc.RootElement, QdrantOpenApi.Instance.Schema(schema));
    }

    [Theory]
    [InlineData("QueryRequest", """{"prefetch":[{"query":{"indices":[1,7],"values":[1.0,1.0]},"using":"bm25","limit":20},{"query":[0.1,0.2],"using":"dense","limit":20}],"query":{"fusion":"rrf"},"limit":5,"with_payload":true}""")]
    [InlineData("QueryRequest", """{"query":[0.5,0.5],"filter":{"must":[{"key":"tags","match":{"any":["a","b"]}},{"key":"source_prefixes","match":{"value":"/kb"}}]}}""")]
    [InlineData("CreateCollection", """{"vectors":{"dense":{"size":384,"distance":"Cosine"}},"sparse_vectors":{"bm25":{"modifier":"idf"}}}""")]
    [InlineData("PointInsertOperations", """{"points":[{"id":"5c56c793-69f3-4fbf-87e6-c4bf54c28c26","vector":{"bm25":{"indices":[3],"values":[0.5]}},"payload":{"k":"v"}}]}""")]
    [InlineData("PointsSelector", """{"filter":{"must":[{"key":"position","range":{"gte":3}}]}}""")]
    [InlineData("CountRequest", """{"exact":true,"filter":{"must":[{"has_vector":"dense"}]}}""")]
    public void Valid_requests_pass(string schema, string json) => Assert.Empty(Validate(schema, json));

    [Theory]
    [InlineData("QueryRequest", """{"limit":0}""", "minimum")]
    [InlineData("QueryRequest", """{"limt":5}""", "unknown property")]
    [InlineData("QueryRequest", """{"query":{"fusion":"average"}}""", "anyOf")]
    [InlineData("QueryRequest", """{"filter":{"must":[{"key":"a","match":{"value":1.5}}]}}""", "anyOf")]
    [InlineData("QueryRequest", """{"filter":{"mustnt":[]}}""", "unknown property")]
    [InlineData("CreateCollection", """{"vectors":{"dense":{"size":384}}}""", "anyOf")]
    [InlineData("CreateCollection", """{"sparse_vectors":{"bm25":{"modifier":"bm25"}}}""", "anyOf")]
    [InlineData("PointInsertOperations", """{"points":[{"id":"not-a-uuid","vector":[1.0]}]}""", "anyOf")]
    [InlineData("PointInsertOperations", """{"points":[{"id":-1,"vector":[1.0]}]}""", "anyOf")]
    [InlineData("PointInsertOperations", """{"points":[{"id":1}]}""", "anyOf")]
    [InlineData("PointsSelector", """{}""", "anyOf")]
    [InlineData("CountRequest", """{"exact":"yes"}""", "expected boolean")]
    public void Invalid_requests_are_reported(string schema, string json, string expected)
    {
        var errors = Validate(schema, json);
        Assert.NotEmpty(errors);
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_bare_nullable_schema_means_null_and_refs_resolve()
    {
        using var doc = JsonDocument.Parse("""{"anyOf":[{"$ref":"#/components/schemas/Fusion"},{"nullable":true}]}""");
        var validator = QdrantOpenApi.Instance.Validator;
        Assert.Empty(validator.Validate(JsonDocument.Parse("null").RootElement, doc.RootElement));
        Assert.Empty(validator.Validate(JsonDocument.Parse("\"rrf\"").RootElement, doc.RootElement));
        Assert.NotEmpty(validator.Validate(JsonDocument.Parse("\"other\"").RootElement, doc.RootElement));
        Assert.NotEmpty(validator.Validate(JsonDocument.Parse("5").RootElement, doc.RootElement));
    }

    [Fact]
    public void Every_operation_of_the_document_is_indexed()
    {
        var api = QdrantOpenApi.Instance;
        Assert.Equal("query_points", api.Match("POST", "/collections/kb/points/query")!.Value.Operation.Id);
        Assert.Equal("kb", api.Match("PUT", "/collections/kb/points")!.Value.Parameters["collection_name"]);
        Assert.Null(api.Match("POST", "/collections/kb/points/search/nothing"));
        Assert.True(api.Operations.Count > 50);
    }
}
