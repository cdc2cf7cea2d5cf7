import ConvergentAPI
import ConvergentStore
import Foundation
import OpenAPIRuntime

// History entries on the wire.

extension Wire.HistoryEntry {
    init(_ entry: HistoryEntry) throws {
        try self.init(sequence: entry.sequence, at: entry.at, actor: entry.actor, kind: entry.kind.rawValue, id: entry.id, version: entry.version,
                      action: entry.action, reason: entry.reason, data: entry.data, event: entry.event,
                      change: entry.change?.map(Wire.JSONPatchOperation.init))
    }
}

extension Wire.JSONPatchOperation {
    init(_ operation: JSONPatchOperation) throws {
        let op: OpPayload = switch operation.op {
        case .add: .add
        case .remove: .remove
        case .replace: .replace
        }
        self.init(op: op, path: operation.path, value: try operation.value.map { try OpenAPIValueContainer(unvalidatedValue: $0.unvalidated) })
    }
}

extension JSONValue {
    /// The value as the Swift values `OpenAPIValueContainer` takes.
    var unvalidated: (any Sendable)? {
        switch self {
        case .null: nil
        case let .bool(value): value
        case let .int(value): value
        case let .double(value): value
        case let .string(value): value
        case let .array(items): items.map(\.unvalidated)
        case let .object(fields): fields.mapValues(\.unvalidated)
        }
    }
}
