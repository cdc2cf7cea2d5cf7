import Foundation

/// How a history row holds its version: a full copy, or the change from the version before.
public enum HistoryFormat: String, Hashable, Sendable, Codable {
    case snapshot
    case patch
}

/// One stored history row, as the backends read and write it.
public struct HistoryRow: Hashable, Sendable {
    public var sequence: Int
    public var at: Date
    public var actor: String
    public var version: Int
    public var action: String
    /// Nil on rows written before events were recorded (they are snapshots).
    public var event: String?
    public var reason: String?
    public var format: HistoryFormat
    /// The snapshot's JSON, or the JSON Patch from the previous version.
    public var data: String

    public init(sequence: Int, at: Date, actor: String, version: Int, action: String, event: String?, reason: String?,
                format: HistoryFormat, data: String) {
        self.sequence = sequence
        self.at = at
        self.actor = actor
        self.version = version
        self.action = action
        self.event = event
        self.reason = reason
        self.format = format
        self.data = data
    }
}

/// What a write appends to history, and how stored rows become documents again.
public enum HistoryEncoding {
    /// A full snapshot every this many versions (1, 17, 33, …): reading a version costs at most
    /// this many rows, whatever the length of the history.
    public static let snapshotEvery = 16

    /// The history row's event, format and payload for a version of an aggregate.
    public static func entry(kind: AggregateKind, id: String, previous: Data?, new: Data, version: Int) -> Entry {
        let text = String(decoding: new, as: UTF8.self)
        guard let previous else { return ("\(kind.eventName).created", .snapshot, text) }
        let key = "\(kind.rawValue)/\(id)"
        guard let before = parsed.value(of: previous, key: key) ?? (try? JSONValue.parse(previous)), let after = try? JSONValue.parse(new) else {
            return ("\(kind.eventName).updated", .snapshot, text)
        }
        let operations = JSONPatch.diff(before, after)
        parsed.keep(new, as: after, key: key)
        let event = event(kind: kind, operations: operations)
        guard (version - 1) % snapshotEvery != 0, !containsNullMember(after),
              case let patch = JSONText.data(.array(operations.map(\.json))), patch.count < new.count else {
            return (event, .snapshot, text)
        }
        return (event, .patch, String(decoding: patch, as: UTF8.self))
    }

    /// The entries of several writes at once (`previous` nil for an insert; `entry` one its
    /// caller computed already, `Write.entry`), computed on every core when there are many (each
    /// is independent: parsing and diffing dominate a run of updates), in the writes' order.
    public static func entries(kind: AggregateKind, of writes: [(id: String, previous: Data?, new: Data, version: Int, entry: Entry?)]) -> [Entry] {
        Parallel.map(writes) { w in w.entry ?? entry(kind: kind, id: w.id, previous: w.previous, new: w.new, version: w.version) }
    }

    /// A history row's event, format and payload.
    public typealias Entry = (event: String, format: HistoryFormat, data: String)

    /// Documents just written, parsed: the next write of the same aggregate diffs against its
    /// previous version without parsing it again. An entry is used only when its bytes are the
    /// previous version's bytes, so one left by a transaction that rolled back is never wrong.
    static let parsed = ParsedDocuments(capacity: 4_096)

    /// `<kind>.<status>` when the change set the aggregate's status, `<kind>.updated` otherwise.
    static func event(kind: AggregateKind, operations: [JSONPatchOperation]) -> String {
        if let status = operations.first(where: { $0.path == "/status" && $0.op != .remove }), case let .string(value)? = status.value {
            return "\(kind.eventName).\(value)"
        }
        return "\(kind.eventName).updated"
    }

    /// Rows from a snapshot on, rebuilt into history entries (each with its whole document).
    public static func entries(kind: AggregateKind, id: String, rows: [HistoryRow]) throws -> [HistoryEntry] {
        var document: JSONValue?
        var result: [HistoryEntry] = []
        for row in rows {
            var change: [JSONPatchOperation]?
            switch row.format {
            case .snapshot:
                document = try JSONValue.parse(Data(row.data.utf8))
            case .patch:
                guard let current = document else {
                    throw StoreError(.unavailable, "history of \(kind.rawValue) '\(id)': version \(row.version) is a change with no snapshot before it")
                }
                let operations = try JSONPatch.operations(from: Data(row.data.utf8))
                document = try JSONPatch.apply(operations, to: current)
                change = operations
            }
            let text = row.format == .snapshot ? row.data : String(decoding: try encoder.encode(document), as: UTF8.self)
            result.append(HistoryEntry(sequence: row.sequence, at: row.at, actor: row.actor, kind: kind, id: id, version: row.version,
                                       action: row.action, event: row.event ?? "\(kind.eventName).\(row.action)", reason: row.reason,
                                       data: text, change: change))
        }
        return result
    }

    /// A member set to null cannot be told from a removed one by a patch: such documents are snapshots.
    static func containsNullMember(_ value: JSONValue) -> Bool {
        switch value {
        case let .object(members): members.values.contains { $0 == .null || containsNullMember($0) }
        case let .array(elements): elements.contains(where: containsNullMember)
        default: false
        }
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()
}

extension AggregateKind {
    /// The kind in event names: `installedContract`.
    public var eventName: String {
        let parts = rawValue.split(separator: "_")
        return parts.enumerated().map { $0.offset == 0 ? String($0.element) : $0.element.capitalized }.joined()
    }
}

/// Reading history through the backends' primitives: O(snapshot interval) rows per version read.
extension ConvergentStore {
    /// The whole history of an aggregate, oldest first, each entry with its document.
    public func history(_ kind: AggregateKind, id: String) async throws -> [HistoryEntry] {
        try HistoryEncoding.entries(kind: kind, id: id, rows: try await historyRows(kind, id: id, from: 1, through: nil))
    }

    /// A page of history: up to `limit` entries after version `afterVersion`.
    /// A cursor past any version there can be (a client's made-up one) answers an empty page.
    public func history(_ kind: AggregateKind, id: String, afterVersion: Int, limit: Int) async throws -> [HistoryEntry] {
        let (first, past) = afterVersion.addingReportingOverflow(1)
        let (last, beyond) = afterVersion.addingReportingOverflow(max(limit, 0))
        guard !past, !beyond, let snapshot = try await historySnapshot(kind, id: id, atOrBefore: first) else { return [] }
        let rows = try await historyRows(kind, id: id, from: snapshot, through: last)
        return try HistoryEncoding.entries(kind: kind, id: id, rows: rows).filter { $0.version >= first }
    }

    /// One version of an aggregate from history (its document and when it was written), with the
    /// time of its creation; reads the nearest snapshot and the changes after it only.
    public func historyEntry(_ kind: AggregateKind, id: String, asOf instant: Date) async throws -> (entry: HistoryEntry, createdAt: Date)? {
        guard let version = try await historyVersion(kind, id: id, atOrBefore: instant),
              let snapshot = try await historySnapshot(kind, id: id, atOrBefore: version) else { return nil }
        let rows = try await historyRows(kind, id: id, from: snapshot, through: version)
        guard let entry = try HistoryEncoding.entries(kind: kind, id: id, rows: rows).last else { return nil }
        let createdAt = snapshot == 1 ? rows[0].at : try await historyRows(kind, id: id, from: 1, through: 1).first?.at ?? entry.at
        return (entry, createdAt)
    }
}

/// A small cache of parsed JSON documents, keyed by the bytes they were parsed from.
final class ParsedDocuments: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (data: Data, value: JSONValue)] = [:]
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func value(of data: Data, key: String) -> JSONValue? {
        lock.withLock {
            guard let entry = entries[key], entry.data == data else { return nil }
            return entry.value
        }
    }

    func keep(_ data: Data, as value: JSONValue, key: String) {
        lock.withLock {
            if entries.count >= capacity, entries[key] == nil { entries.removeAll(keepingCapacity: true) }
            entries[key] = (data, value)
        }
    }
}
