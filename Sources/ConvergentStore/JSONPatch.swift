import Foundation

/// A JSON document as a value, to compare two versions of an aggregate and store what changed.
public indirect enum JSONValue: Hashable, Sendable, Codable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int.self) { self = .int(value) }
        else if let value = try? container.decode(Double.self) { self = .double(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    /// Parses JSON text (`JSONText`: bytes straight to values).
    public static func parse(_ data: Data) throws -> JSONValue { try JSONText.parse(data) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case let .bool(value): try container.encode(value)
        case let .int(value): try container.encode(value)
        case let .double(value): try container.encode(value)
        case let .string(value): try container.encode(value)
        case let .array(value): try container.encode(value)
        case let .object(value): try container.encode(value)
        }
    }
}

/// RFC 6902 JSON Patch, the operations a diff of two documents needs: add, remove, replace.
/// History stores these between snapshots, so a version costs what changed, not a full copy.
public struct JSONPatchOperation: Hashable, Sendable, Codable {
    public enum Op: String, Hashable, Sendable, Codable { case add, remove, replace }
    public var op: Op
    /// A JSON Pointer (RFC 6901): `/lines/3/status`.
    public var path: String
    public var value: JSONValue?

    public init(op: Op, path: String, value: JSONValue? = nil) {
        self.op = op
        self.path = path
        self.value = value
    }

    /// The operation as JSON: `{"op":…,"path":…,"value":…}`.
    var json: JSONValue {
        var members: [String: JSONValue] = ["op": .string(op.rawValue), "path": .string(path)]
        if let value { members["value"] = value }
        return .object(members)
    }
}

public struct JSONPatchError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String
}

public enum JSONPatch {
    /// Reads operations stored as JSON (see `parse`).
    public static func operations(from data: Data) throws -> [JSONPatchOperation] {
        guard case let .array(items) = try JSONValue.parse(data) else { throw JSONPatchError(description: "a patch is an array of operations") }
        return try items.map { item in
            guard case let .object(fields) = item, case let .string(op)? = fields["op"], let kind = JSONPatchOperation.Op(rawValue: op),
                  case let .string(path)? = fields["path"] else {
                throw JSONPatchError(description: "a patch operation needs op (add, remove, replace) and path")
            }
            return JSONPatchOperation(op: kind, path: path, value: fields["value"])
        }
    }

    /// The operations that turn `old` into `new`: objects member by member, arrays element by
    /// element (then elements added or removed at the end), anything else replaced whole.
    public static func diff(_ old: JSONValue, _ new: JSONValue) -> [JSONPatchOperation] {
        var operations: [JSONPatchOperation] = []
        diff(old, new, path: "", into: &operations)
        return operations
    }

    private static func diff(_ old: JSONValue, _ new: JSONValue, path: String, into operations: inout [JSONPatchOperation]) {
        if old == new { return }
        switch (old, new) {
        case let (.object(a), .object(b)):
            for key in a.keys.sorted() where b[key] == nil {
                operations.append(.init(op: .remove, path: path + "/" + escape(key)))
            }
            for key in b.keys.sorted() {
                if let before = a[key] { diff(before, b[key]!, path: path + "/" + escape(key), into: &operations) }
                else { operations.append(.init(op: .add, path: path + "/" + escape(key), value: b[key])) }
            }
        case let (.array(a), .array(b)):
            for index in 0..<min(a.count, b.count) { diff(a[index], b[index], path: "\(path)/\(index)", into: &operations) }
            if b.count > a.count {
                for index in a.count..<b.count { operations.append(.init(op: .add, path: "\(path)/\(index)", value: b[index])) }
            } else if a.count > b.count {
                for index in (b.count..<a.count).reversed() { operations.append(.init(op: .remove, path: "\(path)/\(index)")) }
            }
        default:
            operations.append(.init(op: .replace, path: path, value: new))
        }
    }

    /// Applies operations in order; fails when a path does not lead where the operation needs.
    public static func apply(_ operations: [JSONPatchOperation], to document: JSONValue) throws -> JSONValue {
        var result = document
        for operation in operations {
            let tokens = operation.path.isEmpty ? [] : operation.path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map { unescape(String($0)) }
            try apply(operation, tokens: tokens[...], to: &result)
        }
        return result
    }

    private static func apply(_ operation: JSONPatchOperation, tokens: ArraySlice<String>, to value: inout JSONValue) throws {
        guard let token = tokens.first else {
            guard operation.op != .remove, let replacement = operation.value else { throw JSONPatchError(description: "cannot remove the whole document") }
            value = replacement
            return
        }
        let last = tokens.count == 1
        switch value {
        case var .object(members):
            if last {
                switch operation.op {
                case .remove:
                    guard members.removeValue(forKey: token) != nil else { throw JSONPatchError(description: "no member '\(token)' to remove at \(operation.path)") }
                case .add, .replace:
                    guard let new = operation.value else { throw JSONPatchError(description: "no value for \(operation.path)") }
                    members[token] = new
                }
            } else {
                guard var child = members[token] else { throw JSONPatchError(description: "no member '\(token)' on the way to \(operation.path)") }
                try apply(operation, tokens: tokens.dropFirst(), to: &child)
                members[token] = child
            }
            value = .object(members)
        case var .array(elements):
            guard let index = Int(token), index >= 0, index <= elements.count else {
                throw JSONPatchError(description: "bad index '\(token)' at \(operation.path)")
            }
            if last {
                switch operation.op {
                case .remove:
                    guard index < elements.count else { throw JSONPatchError(description: "no element \(index) to remove at \(operation.path)") }
                    elements.remove(at: index)
                case .add:
                    guard let new = operation.value else { throw JSONPatchError(description: "no value for \(operation.path)") }
                    elements.insert(new, at: index)
                case .replace:
                    guard let new = operation.value, index < elements.count else { throw JSONPatchError(description: "no element \(index) to replace at \(operation.path)") }
                    elements[index] = new
                }
            } else {
                guard index < elements.count else { throw JSONPatchError(description: "no element \(index) on the way to \(operation.path)") }
                try apply(operation, tokens: tokens.dropFirst(), to: &elements[index])
            }
            value = .array(elements)
        default:
            throw JSONPatchError(description: "\(operation.path) goes through a value that is neither object nor array")
        }
    }

    /// Tokens rarely hold `~` or `/`: those that do not are taken as they are (a byte scan, not
    /// Foundation's search, which was a tenth of a commitment run's time).
    static func escape(_ token: String) -> String {
        guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return token }
        return token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    static func unescape(_ token: String) -> String {
        guard token.utf8.contains(UInt8(ascii: "~")) else { return token }
        return token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
    }
}
