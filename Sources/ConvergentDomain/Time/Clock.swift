import Foundation

/// The source of "now", injected everywhere (DESIGN principle 5).
public protocol ConvergentClock: Sendable {
    func now() -> Date
}

/// The wall clock.
public struct SystemClock: ConvergentClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that stands still until told to move: tests and demos.
public final class FixedClock: ConvergentClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ date: Date) { current = date }

    public func now() -> Date { lock.withLock { current } }

    public func set(_ date: Date) { lock.withLock { current = date } }
}

extension Day {
    /// The UTC day of an instant.
    public init(_ date: Date) {
        self.init(daysSinceEpoch: Int((date.timeIntervalSince1970 / 86_400).rounded(.down)))
    }

    /// Midnight UTC at the start of this day.
    public var startDate: Date { Date(timeIntervalSince1970: Double(daysSinceEpoch) * 86_400) }
}
