/// The stable codes of one context's refusals (orders, holds, pricing, setup, provisioning).
public protocol RefusalCode: RawRepresentable<String>, Hashable, Sendable, Codable, CaseIterable {}

/// Why an operation of one context was refused: a stable code, a message for people and the
/// field at fault. Each context has its own code enum, so a handler matches exactly the
/// refusals its context can give, and the API maps each enum exhaustively to a status.
public struct Refusal<Code: RefusalCode>: Error, Hashable, Sendable, CustomStringConvertible {
    public var code: Code
    public var message: String
    public var field: String?

    public init(_ code: Code, _ message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    public var description: String { message }
}
