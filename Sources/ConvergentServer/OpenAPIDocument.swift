import ConvergentAPI
import Foundation
import HTTPTypes
import Yams

/// The API contract (`ConvergentAPI`'s `openapi.yaml`), served as `/openapi.json`, converted once
/// on first use.
enum OpenAPIDocument {
    /// The document as JSON; nil when the resource cannot be read (a binary copied away from its
    /// resource bundle): `/openapi.json` then answers 503 with a problem.
    static let json: String? = {
        guard let text = APIDocument.yaml else { return nil }
        return try? json(fromYAML: text)
    }()

    /// The document as `/openapi.json` answers it.
    static let payload: Operations.GetOpenAPIDocument.Output.Ok.Body.JsonPayload? = json.flatMap {
        try? JSONDecoder().decode(Operations.GetOpenAPIDocument.Output.Ok.Body.JsonPayload.self, from: Data($0.utf8))
    }

    /// What the transport needs to know of each operation, read from the document.
    struct OperationIndex: Sendable {
        struct Operation: Sendable {
            /// `security: []`: no bearer token.
            var isPublic: Bool
            var bodyRequired: Bool
            /// Query parameters that are not strings: name → schema type (`integer`, `boolean`).
            var typedQuery: [String: String] = [:]
        }

        var byRoute: [String: Operation] = [:]
        var byID: [String: Operation] = [:]

        /// The first query parameter of `request` whose value is not of the type the operation
        /// declares, and that type: what a decoding error without a coding path was about.
        func invalidQueryParameter(of operationID: String, in request: HTTPRequest) -> (name: String, type: String)? {
            guard let typed = byID[operationID]?.typedQuery, !typed.isEmpty,
                  let items = URLComponents(string: request.path ?? "")?.queryItems else { return nil }
            for item in items {
                guard let type = typed[item.name] else { continue }
                let value = item.value ?? ""
                let valid = switch type {
                case "integer": Int(value) != nil
                case "number": Double(value) != nil
                case "boolean": value == "true" || value == "false"
                default: true
                }
                if !valid { return (item.name, type) }
            }
            return nil
        }

        func operation(_ method: HTTPRequest.Method, _ path: String) -> Operation? {
            byRoute["\(method.rawValue.lowercased()) \(path)"]
        }
    }

    /// The operations of the document; none when it cannot be read.
    static let operations: OperationIndex = {
        guard let json, let document = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let paths = document["paths"] as? [String: [String: Any]] else { return OperationIndex() }
        let requiresToken = !((document["security"] as? [Any])?.isEmpty ?? true)
        var operations = OperationIndex()
        for (path, methods) in paths {
            for (method, value) in methods {
                guard let operation = value as? [String: Any] else { continue }
                let security = (operation["security"] as? [Any]).map { !$0.isEmpty } ?? requiresToken
                let body = operation["requestBody"] as? [String: Any]
                var entry = OperationIndex.Operation(isPublic: !security, bodyRequired: body?["required"] as? Bool ?? false)
                for parameter in operation["parameters"] as? [[String: Any]] ?? [] where parameter["in"] as? String == "query" {
                    if let name = parameter["name"] as? String, let type = (parameter["schema"] as? [String: Any])?["type"] as? String, type != "string" {
                        entry.typedQuery[name] = type
                    }
                }
                operations.byRoute["\(method) \(path)"] = entry
                if let id = operation["operationId"] as? String { operations.byID[id] = entry }
            }
        }
        return operations
    }()

    /// YAML to JSON with YAML's own types: a quoted scalar stays a string, `true`, `12` and `1.5`
    /// become JSON's boolean and numbers, `null` null.
    static func json(fromYAML text: String) throws -> String {
        guard let node = try Yams.compose(yaml: text) else { throw YamlError.dataCouldNotBeDecoded(encoding: .utf8) }
        let data = try JSONSerialization.data(withJSONObject: value(of: node), options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    static func value(of node: Node) throws -> Any {
        switch node {
        case let .mapping(mapping):
            var object: [String: Any] = [:]
            for (key, child) in mapping {
                guard let name = key.string else { throw YamlError.dataCouldNotBeDecoded(encoding: .utf8) }
                object[name] = try value(of: child)
            }
            return object
        case let .sequence(sequence):
            return try sequence.map(value(of:))
        case let .scalar(scalar):
            switch Tag.Name(rawValue: node.tag.rawValue) {
            case .bool: return Bool.construct(from: scalar) ?? scalar.string
            case .int: return Int.construct(from: scalar) ?? scalar.string
            case .float: return Double.construct(from: scalar) ?? scalar.string
            case .null: return NSNull()
            default: return scalar.string
            }
        case .alias:
            throw YamlError.dataCouldNotBeDecoded(encoding: .utf8)
        }
    }
}
