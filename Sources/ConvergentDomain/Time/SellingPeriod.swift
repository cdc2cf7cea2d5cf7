/// A period of days, both ends inclusive and both optional.
public struct Period: Hashable, Sendable, Codable {
    public var start: Day?
    public var end: Day?

    public init(start: Day? = nil, end: Day? = nil) {
        self.start = start
        self.end = end
    }

    /// True when the period ends before it starts (an integrity error in a catalog).
    public var isInverted: Bool {
        if let start, let end { return end < start }
        return false
    }

    public func contains(_ day: Day) -> Bool {
        if let start, day < start { return false }
        if let end, day > end { return false }
        return true
    }

    /// The overlap of two periods (the later start, the earlier end).
    public func intersected(with other: Period) -> Period {
        Period(start: [start, other.start].compactMap { $0 }.max(), end: [end, other.end].compactMap { $0 }.min())
    }
}

/// Selling status of a catalog element against a reference date.
public enum SellingStatus: String, Hashable, Sendable, Codable, CaseIterable {
    case past, current, future

    /// no period → current; start only → future before it, current from it;
    /// start and end → future before, past after, current between (inclusive).
    public static func of(_ period: Period?, on day: Day) -> SellingStatus {
        guard let period else { return .current }
        if let start = period.start, day < start { return .future }
        if let end = period.end, day > end { return .past }
        return .current
    }
}

/// What a response shows for one element: its status and the period behind it.
public struct SellingInfo: Hashable, Sendable, Codable {
    public var status: SellingStatus
    public var period: Period?
    /// The obsolete date of the package component, when it has been retired.
    public var obsoleteSince: Day?

    public init(status: SellingStatus, period: Period?, obsoleteSince: Day? = nil) {
        self.status = status
        self.period = period
        self.obsoleteSince = obsoleteSince
    }

    /// Sellable to a new customer on the reference date: current and not retired.
    public var isSellable: Bool { status == .current && obsoleteSince == nil }
}
