import Foundation

/// a kind of background job, by name. Each kind is a type in the engine with Codable
/// parameters and a handler, registered with the job runner; the names of the kinds that exist
/// are here so that stored jobs and the API name them alike.
public struct JobKind: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public var description: String { rawValue }

    /// Stored and served as its name.
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// release a queued order on its execution date (holds run again).
    public static let releaseQueuedOrder: JobKind = "releaseQueuedOrder"
    /// take an order as far as it goes now (start, send what waited, complete);
    /// also how an order wakes the orders waiting for it, and a child its parent.
    public static let fulfillOrder: JobKind = "fulfillOrder"
    /// send one provisioning message (its next attempt); retries are this job again, later.
    public static let sendProvisioning: JobKind = "sendProvisioning"
    /// the embedded simulator's answer to one attempt.
    public static let provisioningCallback: JobKind = "provisioningCallback"
    /// no answer to an attempt in time: it counts as failed.
    public static let provisioningTimeout: JobKind = "provisioningTimeout"
    /// the commitments' daily run (one a day: its id is the day).
    public static let commitmentDay: JobKind = "commitmentDay"
    /// run a scheduled subscription action when it is due (validated again).
    public static let subscriptionAction: JobKind = "subscriptionAction"
    /// the subscriptions' daily run of activation conditions (one a day: its id is the day).
    public static let subscriptionDay: JobKind = "subscriptionDay"
}

/// A job's life, one transition table (DESIGN principle 7).
public enum JobStatus: String, Hashable, Sendable, Codable, CaseIterable {
    case pending, running, done, failed

    /// Pending jobs are claimed; a running job is done, retried later (pending), given up
    /// (failed), or claimed again when its worker's claim ran out (the worker died).
    public static let transitions: [JobStatus: Set<JobStatus>] = [
        .pending: [.running],
        .running: [.done, .pending, .failed, .running],
        .done: [],
        .failed: [.pending],
    ]

    public func transition(to next: JobStatus) throws(JobError) -> JobStatus {
        guard Self.transitions[self]?.contains(next) ?? false else {
            throw JobError("a job cannot go from \(rawValue) to \(next.rawValue)")
        }
        return next
    }
}

public struct JobError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Times as the job table's sortable text columns: milliseconds since 1970, 15 digits.
public enum JobTime {
    public static func text(_ date: Date) -> String {
        let ms = max(0, Int((date.timeIntervalSince1970 * 1000).rounded(.down)))
        let digits = String(ms)
        return String(repeating: "0", count: max(0, 15 - digits.count)) + digits
    }
}

/// one durable unit of background work: due at a time, claimed by one worker at once.
public struct Job: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public var kind: JobKind
    /// What it works on (an order id, …): listed with it, and how it is found.
    public var subject: String
    /// Its kind's parameters as JSON; absent on jobs written before kinds had typed parameters
    /// (their subject says it all).
    public var parameters: String?
    public var dueAt: Date
    public private(set) var status: JobStatus
    public private(set) var attempts: Int
    public private(set) var claimedBy: String?
    public private(set) var claimedUntil: Date?
    public private(set) var outcome: String?
    public private(set) var finishedAt: Date?

    /// Attempts before a job is given up (failed, visible, retried by hand).
    public static let maxAttempts = 5

    public init(id: String, kind: JobKind, subject: String, dueAt: Date, parameters: String? = nil) {
        self.id = id
        self.kind = kind
        self.subject = subject
        self.parameters = parameters
        self.dueAt = dueAt
        status = .pending
        attempts = 0
    }

    /// A new job's id: `J<due time>-<random>`, so ids sort by due time and are made without a
    /// round trip to a database sequence (fulfillment writes several jobs per step).
    public static func newID(due: Date) -> String {
        "J" + JobTime.text(due) + "-" + UUID().uuidString.prefix(8).lowercased()
    }

    /// The id of the one job of a kind for a subject (so enqueuing twice is refused, not doubled).
    public static func id(_ kind: JobKind, _ subject: String) -> String { "\(kind.rawValue)-\(subject)" }

    /// Claimed by `worker` until `until` (a crashed worker's claim runs out and the job is claimed again).
    public mutating func claim(by worker: String, until: Date) throws(JobError) {
        status = try status.transition(to: .running)
        attempts += 1
        claimedBy = worker
        claimedUntil = until
    }

    public mutating func finish(_ outcome: String, at: Date) throws(JobError) {
        status = try status.transition(to: .done)
        self.outcome = outcome
        finishedAt = at
        claimedUntil = nil
    }

    /// Runs again later: due again with exponential backoff (1, 2, 4, … minutes), or failed
    /// after `maxAttempts`.
    public mutating func retry(after error: String, at now: Date) throws(JobError) {
        outcome = error
        claimedUntil = nil
        if attempts >= Self.maxAttempts {
            status = try status.transition(to: .failed)
            finishedAt = now
        } else {
            status = try status.transition(to: .pending)
            dueAt = now.addingTimeInterval(60 * Double(1 << (attempts - 1)))
        }
    }

    /// Runs again at a later time without counting an attempt (the work is not due yet).
    public mutating func postpone(to due: Date, because reason: String) throws(JobError) {
        status = try status.transition(to: .pending)
        attempts -= 1
        dueAt = due
        outcome = reason
        claimedUntil = nil
    }
}
