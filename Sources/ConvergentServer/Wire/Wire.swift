import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation

/// The wire types: made by swift-openapi-generator from `openapi.yaml` (`ConvergentAPI`), so
/// what the server encodes is what the contract says, and a stored domain type can change
/// without changing the API. Each mapping from an engine result to its wire type is here, one
/// file per context; a route encodes a wire type, never a domain type (the engine's views are
/// not even `Encodable`).
typealias Wire = Components.Schemas

/// A domain enum's case as the wire enum with the same raw value. Every pair used here is
/// checked case by case by `WireTests`, so a domain case the contract lacks fails a test; should
/// one still get through, the answer is a 500 problem, never a crash.
func sameCase<Wire: RawRepresentable<String>, Domain: RawRepresentable<String>>(_ value: Domain, as _: Wire.Type = Wire.self) throws -> Wire {
    guard let wire = Wire(rawValue: value.rawValue) else {
        throw WireError("\(Domain.self).\(value.rawValue) is not in the contract's \(Wire.self)")
    }
    return wire
}

struct WireError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Decimal {
    /// JSON numbers are doubles in the wire types: the double nearest the decimal, which JSON
    /// writes back as the same short decimal (-3.33, not NSDecimalNumber's -3.3300000000000001).
    var wire: Double { Double(description) ?? NSDecimalNumber(decimal: self).doubleValue }
}

// MARK: System

extension Wire.Clock {
    init(now: Date, adjustable: Bool) {
        self.init(now: now, today: Day(now).description, mode: adjustable ? .test : .system)
    }
}

// MARK: Users and tokens

extension Wire.User {
    init(_ user: Versioned<User>) {
        let u = user.value
        let role: Wire.UserInput.RolePayload = switch u.role {
        case .administrator: .administrator
        case .agent: .agent
        }
        self.init(value1: Wire.UserInput(id: u.id, name: u.name, role: role, actsFor: u.actsFor),
                  value2: .init(active: u.active, version: user.version, permissions: u.permissionNames))
    }
}

extension Wire.Token {
    /// `secret` only in the answer that issues the token.
    init(_ token: APIToken, secret: String? = nil) {
        self.init(id: token.id, user: token.user, label: token.label, revoked: token.revoked, secret: secret)
    }
}

// MARK: Jobs

extension Wire.Job {
    init(_ job: Versioned<Job>) { self.init(job.value) }

    init(_ job: Job) {
        let status: Wire.Job.StatusPayload = switch job.status {
        case .pending: .pending
        case .running: .running
        case .done: .done
        case .failed: .failed
        }
        self.init(id: job.id, kind: job.kind.rawValue, subject: job.subject, parameters: job.parameters, dueAt: job.dueAt,
                  status: status, attempts: job.attempts, claimedBy: job.claimedBy,
                  claimedUntil: job.claimedUntil, outcome: job.outcome, finishedAt: job.finishedAt)
    }
}
