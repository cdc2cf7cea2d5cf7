/// One entry of a record's status history (a commitment contract's, a service agreement's): the
/// status it moved to, the day, and why.
public struct StatusChange<Status: Hashable & Sendable & Codable>: Hashable, Sendable, Codable {
    public var status: Status
    public var on: Day
    public var reason: String

    public init(status: Status, on: Day, reason: String) {
        self.status = status
        self.on = on
        self.reason = reason
    }
}
