/// The OpenAPI 3.1 document served at /openapi.json. Its one source is
/// Sources/CofferServer/openapi.json, compiled into the binary (so `coffer` needs no resource
/// files); CofferServerTests prove the router and the document name the same operations.
enum OpenAPIDocument {
    static let bytes: [UInt8] = PackageResources.openapi_json
}
