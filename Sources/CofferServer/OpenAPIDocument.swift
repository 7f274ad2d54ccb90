/// The OpenAPI 3.1 document served at /openapi.json. The source of truth is docs/openapi.json;
/// this copy is checked against it (and against the router) by the tests.
enum OpenAPIDocument {
    static let json = #"{"openapi":"3.1.0","info":{"title":"Coffer","version":"0.1.0"},"paths":{}}"#
}
