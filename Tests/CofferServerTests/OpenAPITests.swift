import CofferStorage
import Wallets
import Tenancy
import CofferCore
import CofferBase
import Foundation
import Hummingbird
import Testing

@testable import CofferServer

/// The OpenAPI document and the router describe the same API, and the document keeps the
/// conventions every route follows (bearer auth, Idempotency-Key on POST, strict bodies, problems).
@Suite struct OpenAPITests {
    static let methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    var document: [String: Any] {
        get throws { try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.bytes)) as? [String: Any]) }
    }

    /// "METHOD /path/{param}" for every operation in the document.
    func documentedOperations() throws -> Set<String> {
        let paths = try #require(try document["paths"] as? [String: [String: Any]])
        return Set(paths.flatMap { path, item in item.keys.filter(Self.methods.contains).map { "\($0.uppercased()) \(path)" } })
    }

    /// "METHOD /path/{param}" for every route the router registers.
    func routedOperations() async throws -> Set<String> {
        try await ServerBackend.sqlite.withServices { stacks in
            let router = CofferServer.router(settings: ServerSettings(), services: stacks[0])
            return Set(router.routes.map { route in
                let path = route.path.components.map { element in
                    let text = element.description
                    return text.hasPrefix(":") ? "{\(text.dropFirst())}" : text
                }
                return "\(route.method.rawValue) /\(path.joined(separator: "/"))"
            })
        }
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedOperationIsRouted() async throws {
        let routed = try await routedOperations()
        let documented = try documentedOperations()
        #expect(routed.subtracting(documented).sorted() == [], "routed but not in Sources/CofferServer/openapi.json")
        #expect(documented.subtracting(routed).sorted() == [], "documented but not routed")
        #expect(routed.count >= 20)
    }

    @Test func theServedDocumentIsTheFileInTheRepository() async throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/CofferServer/openapi.json")
        let onDisk = try Data(contentsOf: file)
        try await withAPI(.sqlite) { api in
            let reply = try await api.call(.get, "/openapi.json")
            #expect(reply.status == 200)
            #expect(reply.headers[.contentType] == "application/json")
            #expect(Data(reply.text.utf8) == onDisk)
        }
        #expect(try document["openapi"] as? String == "3.1.0")
    }

    @Test func operationsFollowTheConventions() throws {
        let document = try document
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let components = try #require(document["components"] as? [String: Any])
        let schemas = try #require(components["schemas"] as? [String: [String: Any]])
        func resolve(_ schema: [String: Any]) -> [String: Any] {
            guard let ref = schema["$ref"] as? String else { return schema }
            return schemas[String(ref.split(separator: "/").last!)] ?? [:]
        }
        for (path, item) in paths {
            for (method, value) in item where Self.methods.contains(method) {
                let operation = try #require(value as? [String: Any])
                let name = "\(method.uppercased()) \(path)"
                let responses = try #require(operation["responses"] as? [String: Any], "\(name)")
                let parameters = (operation["parameters"] as? [[String: Any]]) ?? []
                let references = parameters.compactMap { $0["$ref"] as? String }
                if path.hasPrefix("/v1/") {
                    #expect(operation["security"] == nil, "\(name) must use the document's bearer security")
                    for status in ["400", "401", "403", "429"] { #expect(responses[status] != nil, "\(name) lacks \(status)") }
                } else {
                    #expect((operation["security"] as? [Any])?.isEmpty == true, "\(name) is open")
                }
                if method == "post" {
                    #expect(references.contains("#/components/parameters/IdempotencyKey"), "\(name) lacks Idempotency-Key")
                    for status in ["409", "413", "422"] { #expect(responses[status] != nil, "\(name) lacks \(status)") }
                    let content = try #require((operation["requestBody"] as? [String: Any])?["content"] as? [String: Any], "\(name) has no body")
                    let schema = resolve(try #require((content["application/json"] as? [String: Any])?["schema"] as? [String: Any]))
                    #expect(schema["additionalProperties"] as? Bool == false, "\(name)'s body must refuse unknown fields")
                }
                // Path parameters are declared exactly as the template names them.
                let declared = Set(parameters.filter { $0["in"] as? String == "path" }.compactMap { $0["name"] as? String })
                let template = Set(path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) })
                #expect(declared == template, "\(name)")
            }
        }
        // Every 4xx response is a problem document.
        for (name, response) in try #require(components["responses"] as? [String: [String: Any]]) {
            #expect((response["content"] as? [String: Any])?.keys.sorted() == ["application/problem+json"], "\(name)")
        }
    }

    /// Codes only the operator's CLI can meet (vault set-up and rotation, whole-ledger and audit
    /// checks, approvers, tenants, files it writes); over HTTP a vault that is not initialised or
    /// was rotated is `vault-locked`.
    static let commandLineCodes: Set<String> = [
        "ledger-broken", "audit-broken", "vault-exists", "wrong-passphrase", "weak-passphrase", "concurrent-rotation", "no-passphrase",
        "invalid-configuration", "approver-exists", "vault-not-initialized", "cannot-write-file",
    ]

    /// Every error code written in Sources (`ServiceError(.category, "code", …)`, `code: "…"`,
    /// `var code: String { "…" }`, StorageError's kinds) is listed in the Problem schema's `code`.
    @Test func problemCodesInTheCodeAreNamedInTheDocument() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources").standardized
        let patterns = [
            #"(?:Error|Failure)\(\s*\.[a-zA-Z]+,\s*"([a-z0-9-]+)""#, #"code: (?:String = )?"([a-z0-9-]+)""#, #"var code: String \{ "([a-z0-9-]+)" \}"#,
        ].map { try! NSRegularExpression(pattern: $0) }
        var codes: Set<String> = []
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        for case let file as URL in files where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            var expressions = patterns
            if file.lastPathComponent == "StorageError.swift" { expressions.append(try NSRegularExpression(pattern: #"case \.[a-zA-Z]+: "([a-z0-9-]+)""#)) }
            for expression in expressions {
                for match in expression.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    codes.insert(String(text[Range(match.range(at: 1), in: text)!]))
                }
            }
        }
        #expect(codes.count >= 40 && codes.contains("transfer-rejected") && codes.contains("database-busy"))
        let schemas = try #require((try document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let problem = try #require(((schemas["Problem"] as? [String: Any])?["properties"] as? [String: Any])?["code"] as? [String: Any])
        let listed = Set(try #require(problem["description"] as? String).split(whereSeparator: { !($0.isLowercase || $0.isNumber || $0 == "-") }).map(String.init))
        #expect(codes.subtracting(Self.commandLineCodes).subtracting(listed).sorted() == [], "codes missing from Problem.code's description")
        #expect(listed.isSuperset(of: ["http-", "vault-locked"]))
    }
}
