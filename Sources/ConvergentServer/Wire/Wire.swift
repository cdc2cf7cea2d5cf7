import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation

/// The wire types: made by swift-openapi-generator from `openapi.yaml` (`ConvergentAPI`), so
/// what the server encodes is what the contract says, and a stored domain type can change
/// without changing the API. Each mapping from an engine result to its wire type is here, one
/// file per context; a route encodes a wire type, never a domain type (contexts not yet moved
/// are listed in docs/api.md).
typealias Wire = Components.Schemas

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
                  value2: .init(active: u.active, version: user.version))
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
