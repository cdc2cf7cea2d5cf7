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

/// A clock that can be moved forward by hand (demos, acceptance tests, `serve --clock test`).
public protocol AdjustableClock: ConvergentClock {
    /// Moves the clock forward; `seconds` must not be negative (time never runs backwards, so
    /// history stays in order).
    func advance(by seconds: TimeInterval) throws(ClockError)
}

public struct ClockError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The test clock: it runs like the wall clock from a chosen start, and an administrator can
/// move it forward — to a day when queued orders fall due, say — without waiting.
public final class TestClock: AdjustableClock, @unchecked Sendable {
    private let lock = NSLock()
    private var offset: TimeInterval
    private let wall: @Sendable () -> Date

    /// Starts at `start` (now when nil); `wall` is the real time source (replaceable in tests).
    public init(start: Date? = nil, wall: @escaping @Sendable () -> Date = { Date() }) {
        self.wall = wall
        offset = start.map { $0.timeIntervalSince(wall()) } ?? 0
    }

    public func now() -> Date { lock.withLock { wall().addingTimeInterval(offset) } }

    /// The furthest one move goes: a hundred years.
    public static let maximumMove: TimeInterval = 100 * 366 * 86_400

    public func advance(by seconds: TimeInterval) throws(ClockError) {
        guard seconds >= 0, seconds.isFinite else { throw ClockError("the test clock only moves forward") }
        guard seconds <= Self.maximumMove else { throw ClockError("one move of the test clock goes a hundred years at most") }
        lock.withLock { offset += seconds }
    }
}
