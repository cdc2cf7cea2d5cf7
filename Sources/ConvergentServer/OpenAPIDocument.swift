import ConvergentAPI
import Foundation
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
