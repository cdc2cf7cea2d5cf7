import ConvergentDomain
import ConvergentEngine
import ConvergentServer
import ConvergentStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Prometheus
import Testing

@Suite("R-15.1 server: system endpoints, auth, errors")
struct ServerTests {
    @Test("R-15.1: /openapi.json is openapi.yaml, the one source of the contract, OpenAPI 3; every operation it has is served, behind a token unless it says security: []")
    func openAPI() async throws {
        let app = try await TestApp.make()
        try await app.run { client in
            let reply = try await client.call(.get, "/openapi.json", token: nil)
            #expect(reply.status == .ok)
            let doc = reply.json
            #expect((doc["openapi"] as? String)?.hasPrefix("3.") == true)
            let paths = try #require(doc["paths"] as? [String: [String: Any]])
            // The generated server mounts every operation (one the server lacks does not compile);
            // each answers here, without a token: 401 unless the document makes it public.
            for (path, operations) in paths {
                for (method, operation) in operations {
                    let operation = try #require(operation as? [String: Any])
                    let isPublic = (operation["security"] as? [Any])?.isEmpty == true
                    let uri = path.split(separator: "/").map { $0.hasPrefix("{") ? "x" : String($0) }.joined(separator: "/")
                    let reply = try await client.call(try #require(HTTPRequest.Method(method.uppercased())), "/" + uri, token: nil)
                    #expect(![404, 405].contains(reply.status.code) || reply.json["code"] as? String != "route-not-found", "\(method) \(path) is not served")
                    #expect(reply.status.code != 405, "\(method) \(path) is not served")
                    if isPublic {
                        #expect(reply.json["code"] as? String != "unauthenticated", "\(method) \(path) asks for a token")
                    } else {
                        #expect(reply.status == .unauthorized && reply.json["code"] as? String == "unauthenticated", "\(method) \(path) answers without a token")
                    }
                }
            }
            // It is openapi.yaml as YAML reads it (PyYAML here: quoted scalars stay strings, and so on),
            // and openapi-spec-validator accepts it when it is installed.
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("openapi-\(UUID().uuidString).json")
            try Data(reply.text.utf8).write(to: file)
            let yaml = ContractChecker.repository.appendingPathComponent("Sources/ConvergentAPI/openapi.yaml").path
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", """
                import sys, json, yaml
                served = json.load(open(sys.argv[1]))
                if served != yaml.safe_load(open(sys.argv[2])): sys.exit("/openapi.json is not openapi.yaml")
                try:
                    from openapi_spec_validator import validate
                except ImportError:
                    sys.exit(0)
                validate(served)
                """, file.path, yaml]
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "/openapi.json differs from openapi.yaml, or openapi-spec-validator rejected it")
        }
    }

    @Test("/health answers without a token and names the database")
    func health() async throws {
        try await TestApp.make().run { client in
            let reply = try await client.call(.get, "/health", token: nil)
            #expect(reply.status == .ok)
            #expect(reply.json["status"] as? String == "ok")
            #expect(reply.json["database"] as? String == "sqlite")
        }
    }

    @Test("/metrics serves Prometheus text with request counts")
    func metrics() async throws {
        try await TestApp.make().run { client in
            _ = try await client.call(.get, "/health", token: nil)
            let reply = try await client.call(.get, "/metrics", token: nil)
            #expect(reply.status == .ok)
            #expect(reply.headers[.contentType]?.hasPrefix("text/plain") == true)
            #expect(reply.text.contains("# TYPE convergent_http_requests_total counter"))
            #expect(reply.text.contains(#"route="/health""#))
        }
    }

    @Test("R-2.4: a bearer token is required (401), roles limit what it may do (403), revoked tokens stop working")
    func authentication() async throws {
        try await TestApp.make().run { client in
            let none = try await client.call(.get, "/api/v1/customers", token: nil)
            #expect(none.status == .unauthorized)
            #expect(none.code == "unauthenticated")
            #expect(none.headers[.contentType] == "application/problem+json")
            #expect(none.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            #expect(try await client.call(.get, "/api/v1/customers", token: "nope").status == .unauthorized)

            let agent = try await client.agentToken()
            #expect(try await client.call(.get, "/api/v1/customers", token: agent).status == .ok)
            let forbidden = try await client.call(.post, "/api/v1/users", token: agent, json: #"{"id": "x", "name": "X", "role": "administrator"}"#)
            #expect(forbidden.status == .forbidden)
            #expect(forbidden.code == "forbidden")
            #expect(try await client.call(.post, "/api/v1/catalog/versions/2026.1/activate", token: agent).status == .forbidden)

            let tokens = try await client.call(.get, "/api/v1/users/agent/tokens", token: agent).array
            let id = try #require(tokens.first?["id"] as? String)
            #expect(tokens.first?["secret"] == nil) // never shown again
            #expect(try await client.call(.post, "/api/v1/users/agent/tokens/\(id)/revoke", token: agent).status == .ok)
            #expect(try await client.call(.get, "/api/v1/customers", token: agent).status == .unauthorized)
        }
    }

    @Test("R-2.4: tokens are stored hashed, never in clear")
    func tokensHashed() async throws {
        let app = try await TestApp.make()
        let engine = app.engine
        try await app.run { client in
            let secret = try await client.agentToken()
            let stored = try await engine.store.all(APIToken.self, where: ["user_id": "agent"])
            #expect(stored.count == 1)
            #expect(stored[0].value.digest == AccessControl.digest(secret))
            #expect(stored[0].value.digest != secret)
            let raw = try await engine.store.load(.apiToken, id: stored[0].value.id)
            #expect(!String(decoding: raw!.data, as: UTF8.self).contains(secret))
        }
    }

    @Test("R-2.4: users are created by administrators with a role; agents may act for others")
    func users() async throws {
        try await TestApp.make().run { client in
            let created = try await client.call(.post, "/api/v1/users", json: #"{"id": "carla", "name": "Carla", "role": "agent", "actsFor": ["agent"]}"#)
            #expect(created.status == .created)
            #expect(created.json["role"] as? String == "agent")
            #expect(try await client.call(.post, "/api/v1/users", json: #"{"id": "carla", "name": "Carla", "role": "agent"}"#).code == "already-exists")
            #expect(try await client.call(.post, "/api/v1/users", json: #"{"id": "dan", "name": "Dan", "role": "agent", "actsFor": ["ghost"]}"#).code == "invalid-request")
            #expect(try await client.call(.post, "/api/v1/users", json: #"{"id": "eve", "name": "Eve", "role": "king"}"#).code == "invalid-value")
            let me = try await client.call(.get, "/api/v1/users/me")
            #expect(me.json["id"] as? String == "admin")
        }
    }

    @Test("Errors: malformed JSON 400, wrong type and missing field 422, oversize 413, unknown route 404 — nothing stored changes")
    func badInput() async throws {
        let app = try await TestApp.make()
        let engine = app.engine
        try await app.run { client in
            let before = try await engine.store.all(Customer.self).count
            let malformed = try await client.call(.post, "/api/v1/customers", json: #"{"kind": "person", "name": "#)
            #expect(malformed.status == .badRequest)
            #expect(malformed.code == "malformed-json")
            let wrongType = try await client.call(.post, "/api/v1/customers", json: #"{"kind": "person", "name": 42}"#)
            #expect(wrongType.status == .unprocessableContent)
            #expect(wrongType.code == "wrong-type")
            #expect(wrongType.json["field"] as? String == "name")
            let missing = try await client.call(.post, "/api/v1/customers", json: #"{"name": "X"}"#)
            #expect(missing.code == "missing-field")
            #expect(missing.json["field"] as? String == "kind")
            let nested = try await client.call(.post, "/api/v1/customers", json: #"{"kind": "person", "name": "X", "contacts": [{"name": 1}]}"#)
            #expect(nested.json["field"] as? String == "contacts[0].name")
            let badID = try await client.call(.post, "/api/v1/customers", json: #"{"id": "a/b", "kind": "person", "name": "X"}"#)
            #expect(badID.code == "invalid-id")
            #expect(badID.json["field"] as? String == "id")
            let rule = try await client.call(.post, "/api/v1/customers", json: #"{"kind": "company", "anonymous": true}"#)
            #expect(rule.code == "anonymous-company")
            #expect(rule.json["field"] as? String == "anonymous")
            let huge = String(repeating: "x", count: Limits.jsonBodyBytes + 10)
            let tooLarge = try await client.call(.post, "/api/v1/customers", json: #"{"kind": "person", "name": "\#(huge)"}"#)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.code == "body-too-large")
            let empty = try await client.call(.post, "/api/v1/customers", json: "")
            #expect(empty.status == .badRequest)
            let route = try await client.call(.get, "/api/v1/nothing-here")
            #expect(route.status == .notFound)
            #expect(route.headers[.contentType] == "application/problem+json")
            #expect(try await client.call(.get, "/api/v1/catalog/products?date=2026-02-30").code == "invalid-parameter")
            #expect(try await client.call(.get, "/api/v1/customers?limit=0").code == "invalid-parameter")
            // What the generated server refuses before a handler runs is a problem too, naming the field where there is one.
            let typed = try await client.call(.get, "/api/v1/customers?limit=ten")
            #expect(typed.status == .unprocessableContent && typed.code == "invalid-parameter" && typed.json["field"] as? String == "limit")
            #expect(try await client.call(.post, "/api/v1/catalog/versions?activate=maybe", yaml: "x: 1").json["field"] as? String == "activate")
            let accept = try await client.call(.get, "/api/v1/customers", headers: [.accept: "text/html"])
            #expect(accept.status == .notAcceptable && accept.code == "not-acceptable")
            let media = try await client.call(.post, "/api/v1/customers", json: #"{"kind": "person"}"#, headers: [.contentType: "text/plain"])
            #expect(media.status == .unsupportedMediaType && media.code == "unsupported-media-type")
            let notObject = try await client.call(.post, "/api/v1/customers", json: "[1]")
            #expect(notObject.code == "wrong-type" && notObject.json["field"] == nil)
            let badEnum = try await client.call(.post, "/api/v1/customers", json: #"{"kind": "robot"}"#)
            #expect(badEnum.code == "invalid-value" && badEnum.json["field"] as? String == "kind")
            let deep = try await client.call(.post, "/api/v1/customers", json: String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000))
            #expect(deep.status == .badRequest && deep.code == "malformed-json")
            #expect(try await engine.store.all(Customer.self).count == before)
        }
    }
}

@Suite("R-15.1 problem codes")
struct ErrorCatalogTests {
    @Test("R-15.1: docs/errors.md lists every problem code with its status, as the code maps them; every code the server raises itself is in the list")
    func errorCodesDocumented() throws {
        let docs = try String(contentsOf: ContractChecker.repository.appendingPathComponent("docs/errors.md"), encoding: .utf8)
        #expect(docs == ErrorCatalog.markdown, "docs/errors.md is out of date: swift run convergent errors > docs/errors.md")
        // The literal problems of the server target, `Problem(.status, "code"`, are all listed with that status.
        let listed = Set(ErrorCatalog.entries.map { "\($0.status) \($0.code)" })
        let sources = ContractChecker.repository.appendingPathComponent("Sources/ConvergentServer")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        let literal = try Regex(#"Problem\(\.([a-zA-Z]+), "([a-z0-9-]+)""#)
        let statuses: [String: Int] = ["badRequest": 400, "unauthorized": 401, "forbidden": 403, "notFound": 404, "methodNotAllowed": 405,
                                       "notAcceptable": 406, "conflict": 409, "contentTooLarge": 413, "unsupportedMediaType": 415, "unprocessableContent": 422,
                                       "internalServerError": 500, "serviceUnavailable": 503]
        var raised = 0
        for file in files {
            for match in try String(contentsOf: file, encoding: .utf8).matches(of: literal) {
                let status = try #require(statuses[String(match.output[1].substring!)], "\(file.lastPathComponent): \(match.output[0].substring!)")
                #expect(listed.contains("\(status) \(match.output[2].substring!)"), "\(file.lastPathComponent) raises \(match.output[2].substring!) with \(status), not in the list")
                raised += 1
            }
        }
        #expect(raised > 20)
        // One status per code.
        let byCode = Dictionary(grouping: ErrorCatalog.entries, by: \.code).filter { Set($0.value.map(\.status)).count > 1 }
        #expect(byCode.isEmpty, "codes with two statuses: \(byCode.keys.sorted())")
    }
}
