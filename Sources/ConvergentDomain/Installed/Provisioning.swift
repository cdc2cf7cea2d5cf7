import Foundation

/// R-7.5: what a provisioning system is asked to do with one installed product.
public enum ProvisioningAction: String, Hashable, Sendable, Codable, CaseIterable {
    case activate, disconnect, suspend, resume

    /// The action a pending installed status asks for; nil for a settled status.
    public init?(pending status: InstalledStatus?) {
        switch status {
        case .pendingActivation: self = .activate
        case .pendingDisconnection: self = .disconnect
        case .pendingSuspension: self = .suspend
        case .pendingResumption: self = .resume
        default: return nil
        }
    }
}

/// One installed product in a provisioning message.
public struct ProvisioningItem: Hashable, Sendable, Codable {
    public var installedContract: String
    public var installedProduct: String
    public var product: ProductID
    public var action: ProvisioningAction
    /// A device (R-7.6): the system reports the distributor that delivers it.
    public var device: Bool?
    public var attributes: [String: String]?
    /// R-6, R-7.4: activated here as the installed product it replaces in another contract.
    public var migratedFrom: String?
}

/// What a provisioning system answered about one item (a device's distributor, …).
public struct ProvisioningItemAnswer: Hashable, Sendable, Codable {
    public var installedProduct: String
    public var distributor: String?

    public init(installedProduct: String, distributor: String? = nil) {
        self.installedProduct = installedProduct
        self.distributor = distributor
    }
}

/// A provisioning message's life, one transition table (DESIGN principle 7).
public enum ProvisioningMessageStatus: String, Hashable, Sendable, Codable, CaseIterable {
    /// Ready: to be sent (first time, again after a failure, or waiting on another order's step).
    case ready
    /// Sent; the system's answer is awaited until the answer time-out.
    case sent
    /// The system answered that it is done (or an agent said it was done by hand).
    case completed
    /// Given up after the last attempt: the order is in jeopardy until an agent retries or resumes.
    case failed

    public static let transitions: [ProvisioningMessageStatus: Set<ProvisioningMessageStatus>] = [
        // A late success for an attempt already counted as failed completes the message: ready → completed.
        .ready: [.sent, .ready, .failed, .completed],
        .sent: [.completed, .ready, .failed],
        .failed: [.ready, .completed],
        .completed: [],
    ]
}

/// R-7.5: one message to one provisioning system for one order: every installed product of the
/// order that system installs, changes or removes. Stored on its own (storage v2), written in the
/// same transaction as the order starting fulfillment, with the send job that delivers it (the
/// outbox); sends and answers write the message, not the order.
public struct ProvisioningMessage: Hashable, Sendable, Codable, Identifiable {
    /// `<order>/<system>`.
    public var id: String
    public var system: String
    public var items: [ProvisioningItem]
    public private(set) var status: ProvisioningMessageStatus = .ready
    /// Sends so far (the attempt number of the last send); attempt numbers never restart, so an
    /// answer always names one send.
    public internal(set) var attempts = 0
    /// After an agent's retry: the attempt after which it gives up again (else the policy's maximum).
    public internal(set) var givesUpAfter: Int?
    /// Set when sending waits for another order's step (R-7.4); the awaited order wakes this one.
    public internal(set) var waiting: Bool?
    public internal(set) var sentAt: Date?
    public internal(set) var answeredAt: Date?
    public internal(set) var lastError: String?
    public internal(set) var answers: [ProvisioningItemAnswer]?
    /// Who resumed it by hand, when an agent said the work was done outside the system.
    public internal(set) var resumedBy: String?

    public init(order: String, system: String, items: [ProvisioningItem]) {
        id = Self.id(order: order, system: system)
        self.system = system
        self.items = items
    }

    public static func id(order: String, system: String) -> String { "\(order)/\(system)" }

    /// The order it belongs to (`<order>/<system>`).
    public var order: String { Self.order(ofMessage: id) }

    /// The order of a message id.
    public static func order(ofMessage id: String) -> String { String(id.prefix { $0 != "/" }) }

    mutating func move(to next: ProvisioningMessageStatus) throws {
        guard ProvisioningMessageStatus.transitions[status]?.contains(next) ?? false else {
            throw OrderError(.illegalTransition, "provisioning message \(id) cannot go from \(status.rawValue) to \(next.rawValue)", field: "message")
        }
        status = next
    }
}

/// When fulfillment retries and when it gives up (R-7.5).
public struct ProvisioningPolicy: Hashable, Sendable, Codable {
    /// Sends of one message before the order goes into jeopardy.
    public var maxAttempts: Int
    /// The wait before the second send; each further wait doubles.
    public var backoff: TimeInterval
    /// How long an answer is awaited before the send counts as failed.
    public var answerTimeout: TimeInterval

    public init(maxAttempts: Int = 5, backoff: TimeInterval = 60, answerTimeout: TimeInterval = 600) {
        self.maxAttempts = maxAttempts
        self.backoff = backoff
        self.answerTimeout = answerTimeout
    }

    /// The wait after failed attempt `attempt` (1-based): backoff, 2×, 4×, …
    public func delay(after attempt: Int) -> TimeInterval { backoff * Double(1 << max(0, min(attempt - 1, 20))) }
}

/// R-7.5: an order whose provisioning gave up; visible on the order until an agent retries or resumes it.
public struct Jeopardy: Hashable, Sendable, Codable {
    public var since: Date
    public var messages: [String]
    public var reason: String
}

/// R-7.4: a step of this order waits for a milestone of another order (a sibling child order).
/// Synchronisation of any number of child orders is a set of these, not a special case.
public struct FulfillmentWait: Hashable, Sendable, Codable {
    public enum Step: String, Hashable, Sendable, Codable, CaseIterable {
        /// Making the order's installed products pending.
        case start
        /// Sending its provisioning messages.
        case send
        /// Settling its installed products (Installed, Disconnected, …) and completing.
        case complete
    }

    public enum Milestone: String, Hashable, Sendable, Codable, CaseIterable {
        /// Its installed products are pending.
        case pending
        /// Every one of its messages was sent.
        case sent
        /// Every one of its messages was answered.
        case answered
    }

    public var step: Step
    public var order: String
    public var milestone: Milestone

    public init(step: Step, order: String, milestone: Milestone) {
        self.step = step
        self.order = order
        self.milestone = milestone
    }

    /// R-7.4's eight steps for a migration from source contract S (order `source`) to target T
    /// (order `target`): T's products go pending after S's (1–3); S's message is sent once T's
    /// was sent and answered (4–6); T settles once S answered (7–8), S settles on its own answer.
    /// A reparenting is performed by the target's order alone (its message carries the move; S
    /// sends nothing for it): then S settles — its moved products Disconnected — once T's message
    /// was answered, instead of sending after it.
    public static func migration(source: String, target: String, reparenting: Bool = false) -> (source: [FulfillmentWait], target: [FulfillmentWait]) {
        ([FulfillmentWait(step: reparenting ? .complete : .send, order: target, milestone: .answered)],
         [FulfillmentWait(step: .start, order: source, milestone: .pending), FulfillmentWait(step: .complete, order: source, milestone: .answered)])
    }
}

/// An order's fulfillment (R-7.3 – R-7.5): what it waits for, who waits for it, jeopardy. Its
/// provisioning messages are stored apart (`ProvisioningMessage`); `FulfillmentProgress` holds
/// both for the steps that decide on them.
public struct OrderFulfillment: Hashable, Sendable, Codable {
    public internal(set) var waits: [FulfillmentWait]?
    /// Orders to wake when this one reaches a milestone.
    public internal(set) var waitedOnBy: [String]?
    public internal(set) var jeopardy: Jeopardy?
    public internal(set) var startedAt: Date?
    /// What fulfillment did that an agent should look at (an installed contract left unbilled, …).
    public internal(set) var warnings: [String]?

    public init() {}
}

/// What an answer from a provisioning system did.
public enum ProvisioningAnswerOutcome: Hashable, Sendable {
    /// The message is completed (and, when it was the last one, the order may complete).
    case completed
    /// Nothing changed: the message was already completed, or the answer is for an older send.
    case ignored(String)
    /// The failure will be retried: send again after `delay`.
    case retry(after: TimeInterval)
    /// The last attempt failed: the order is in jeopardy.
    case jeopardy
}

extension Order {
    /// Waits set up on this order and the orders it must wake (R-7.4), before fulfillment starts.
    public mutating func addFulfillmentWaits(_ waits: [FulfillmentWait], waitedOnBy: [String]) {
        var f = fulfillment ?? OrderFulfillment()
        f.waits = (f.waits ?? []) + waits
        f.waitedOnBy = Array(Set((f.waitedOnBy ?? []) + waitedOnBy)).sorted()
        fulfillment = f
    }

    /// R-5.2, R-7.3: why fulfillment must not apply this order to an installed contract as it is now
    /// — one that stopped counting as active since the order was validated (disconnected, or being
    /// disconnected, by another order): a change must never bring such a contract back. Nil when it may.
    public func installedContractGone(_ contract: InstalledContract) -> String? {
        // What this order (or its parent, for a child order) did to the contract is not a change since.
        let ours = contract.lastOrder.map { $0 == id || $0 == parentID } ?? false
        guard !contract.status.countsAsActive, !ours else { return nil }
        return "installed contract \(contract.id) is \(contract.status.rawValue)\(contract.lastOrder.map { " (order \($0))" } ?? "") since order \(id) was validated; it is not applied to it"
    }

    /// The order cannot be fulfilled as validated: it stays submitted, in jeopardy with the reason,
    /// until an agent cancels it. Nothing is installed or sent.
    public mutating func refuseFulfillment(because reason: String, at now: Date) throws {
        guard status == .submitted else {
            throw OrderError(.illegalTransition, "order \(id) is \(status.rawValue); only a submitted order is refused fulfillment", field: "status")
        }
        var f = fulfillment ?? OrderFulfillment()
        f.jeopardy = Jeopardy(since: now, messages: [], reason: reason)
        fulfillment = f
    }

    /// Fulfillment did something an agent should look at: kept on the order, shown with it.
    public mutating func warn(_ warning: String) {
        var f = fulfillment ?? OrderFulfillment()
        if !(f.warnings ?? []).contains(warning) { f.warnings = (f.warnings ?? []) + [warning] }
        fulfillment = f
    }
}

/// An order with its provisioning messages (R-7.3 – R-7.5): what every fulfillment step decides
/// on. A step changes the messages it concerns and the order only when the order itself changes
/// (it starts, goes into or out of jeopardy, completes); the engine writes what changed.
public struct FulfillmentProgress: Hashable, Sendable {
    public var order: Order
    /// By id.
    public private(set) var messages: [ProvisioningMessage]

    public init(order: Order, messages: [ProvisioningMessage]) {
        self.order = order
        self.messages = messages.sorted { $0.id < $1.id }
    }

    /// Milestones reached, read from the messages.
    public func reached(_ milestone: FulfillmentWait.Milestone) -> Bool {
        if order.status == .completed { return true }
        guard order.fulfillment?.startedAt != nil else { return false }
        return switch milestone {
        case .pending: true
        case .sent: messages.allSatisfy { $0.status == .sent || $0.status == .completed }
        case .answered: messages.allSatisfy { $0.status == .completed }
        }
    }

    /// This order's waits for `step` that the other orders (by id) have not met yet.
    public func unmetWaits(for step: FulfillmentWait.Step, others: [String: FulfillmentProgress]) -> [FulfillmentWait] {
        (order.fulfillment?.waits ?? []).filter { wait in wait.step == step && !(others[wait.order]?.reached(wait.milestone) ?? false) }
    }

    /// Step 1 (R-7.3): the order goes into fulfillment with one message per provisioning system.
    public mutating func start(messages: [ProvisioningMessage], at now: Date) throws {
        try order.startFulfillment()
        var f = order.fulfillment ?? OrderFulfillment()
        f.startedAt = now
        order.fulfillment = f
        self.messages = messages.sorted { $0.id < $1.id }
    }

    func messageIndex(_ id: String) throws -> Int {
        guard let i = messages.firstIndex(where: { $0.id == id }) else {
            throw ProvisioningError(.unknownMessage, "order \(order.id) has no provisioning message '\(id)'", field: "message")
        }
        return i
    }

    public func message(_ id: String) throws -> ProvisioningMessage { messages[try messageIndex(id)] }

    /// A ready message is about to be sent; it waits instead when another order's step must come
    /// first (R-7.4). Returns the attempt number to send, or nil when it must wait or is not ready.
    public mutating func prepareSend(_ id: String, others: [String: FulfillmentProgress]) throws -> Int? {
        let i = try messageIndex(id)
        guard order.status == .inFulfillment, messages[i].status == .ready else { return nil }
        if !unmetWaits(for: .send, others: others).isEmpty {
            messages[i].waiting = true
            return nil
        }
        messages[i].waiting = nil
        return messages[i].attempts + 1
    }

    /// The message went out as attempt `attempt`.
    public mutating func recordSent(_ id: String, attempt: Int, at now: Date) throws {
        let i = try messageIndex(id)
        try messages[i].move(to: .sent)
        messages[i].attempts = attempt
        messages[i].sentAt = now
    }

    /// Sending attempt `attempt` failed (the system did not take it, answered with a failure, or
    /// did not answer in time): retried with backoff, or the order goes into jeopardy after the last attempt.
    public mutating func recordFailure(_ id: String, attempt: Int, error: String, at now: Date, policy: ProvisioningPolicy) throws -> ProvisioningAnswerOutcome {
        let i = try messageIndex(id)
        var m = messages[i]
        guard m.status != .completed, m.status != .failed else { return .ignored("message \(id) is \(m.status.rawValue)") }
        guard attempt >= m.attempts else { return .ignored("a failure of attempt \(attempt), message \(id) is at attempt \(m.attempts)") }
        m.attempts = max(m.attempts, attempt)
        m.lastError = error
        m.sentAt = nil
        let outcome: ProvisioningAnswerOutcome
        if m.attempts >= (m.givesUpAfter ?? policy.maxAttempts) {
            try m.move(to: .failed)
            var f = order.fulfillment ?? OrderFulfillment()
            var jeopardy = f.jeopardy ?? Jeopardy(since: now, messages: [], reason: "")
            jeopardy.messages = Array(Set(jeopardy.messages + [id])).sorted()
            jeopardy.reason = "\(m.system) failed \(m.attempts) time(s); last: \(error)"
            f.jeopardy = jeopardy
            order.fulfillment = f
            outcome = .jeopardy
        } else {
            try m.move(to: .ready)
            outcome = .retry(after: policy.delay(after: m.attempts))
        }
        messages[i] = m
        return outcome
    }

    /// A provisioning system answered attempt `attempt`. A success completes the message whatever
    /// the attempt (the work is done); a failure counts only for the latest attempt. A message
    /// already completed changes nothing (duplicate callbacks).
    public mutating func recordAnswer(_ id: String, attempt: Int, success: Bool, error: String?, answers: [ProvisioningItemAnswer],
                                      at now: Date, policy: ProvisioningPolicy) throws -> ProvisioningAnswerOutcome {
        let i = try messageIndex(id)
        let m = messages[i]
        if m.status == .completed { return .ignored("message \(id) was already completed") }
        // Every attempt is recorded before it leaves, so an answer names a recorded attempt.
        guard attempt >= 1, attempt <= m.attempts else {
            throw ProvisioningError(.unknownAttempt, "message \(id) was sent \(m.attempts) time(s); there is no attempt \(attempt)", field: "attempt")
        }
        guard success else {
            if m.status == .failed { return .ignored("message \(id) already failed; an agent retries or resumes it") }
            return try recordFailure(id, attempt: attempt, error: error ?? "the system reported a failure", at: now, policy: policy)
        }
        try messages[i].move(to: .completed)
        messages[i].answeredAt = now
        messages[i].lastError = nil
        messages[i].answers = answers.isEmpty ? nil : answers
        clearJeopardy(of: id)
        return .completed
    }

    /// The answer to attempt `attempt` did not come in time.
    public mutating func recordTimeout(_ id: String, attempt: Int, at now: Date, policy: ProvisioningPolicy) throws -> ProvisioningAnswerOutcome {
        let m = try message(id)
        guard m.status == .sent, m.attempts == attempt else { return .ignored("attempt \(attempt) of \(id) was answered") }
        return try recordFailure(id, attempt: attempt, error: "no answer within \(Int(policy.answerTimeout)) s", at: now, policy: policy)
    }

    /// An agent retries an order in jeopardy: its failed messages are sent again, with as many
    /// attempts as the policy gives a new message.
    public mutating func retryProvisioning(policy: ProvisioningPolicy) throws -> [String] {
        let failed = try failedMessages()
        for id in failed {
            let i = try messageIndex(id)
            try messages[i].move(to: .ready)
            messages[i].givesUpAfter = messages[i].attempts + policy.maxAttempts
        }
        order.fulfillment?.jeopardy = nil
        return failed
    }

    /// An agent resumes an order in jeopardy, saying its failed messages were carried out by hand:
    /// they count as answered and fulfillment goes on.
    public mutating func resumeProvisioning(by agent: String, at now: Date) throws -> [String] {
        let failed = try failedMessages()
        for id in failed {
            let i = try messageIndex(id)
            try messages[i].move(to: .completed)
            messages[i].answeredAt = now
            messages[i].resumedBy = agent
        }
        order.fulfillment?.jeopardy = nil
        return failed
    }

    private func failedMessages() throws -> [String] {
        let failed = messages.filter { $0.status == .failed }.map(\.id)
        guard order.status == .inFulfillment, !failed.isEmpty else {
            throw ProvisioningError(.notInJeopardy, "order \(order.id) is not in jeopardy (\(order.status.rawValue)); only failed provisioning is retried or resumed", field: "status")
        }
        return failed
    }

    private mutating func clearJeopardy(of message: String) {
        guard var jeopardy = order.fulfillment?.jeopardy, jeopardy.messages.contains(message) else { return }
        jeopardy.messages.removeAll { $0 == message }
        order.fulfillment?.jeopardy = jeopardy.messages.isEmpty ? nil : jeopardy
    }

    /// Every message answered and nothing awaited: the order can settle and complete.
    public func readyToComplete(others: [String: FulfillmentProgress]) -> Bool {
        order.status == .inFulfillment && messages.allSatisfy { $0.status == .completed } && unmetWaits(for: .complete, others: others).isEmpty
    }

    /// The answers of every message, by installed product.
    public var provisioningAnswers: [String: ProvisioningItemAnswer] {
        var all: [String: ProvisioningItemAnswer] = [:]
        for m in messages { for a in m.answers ?? [] { all[a.installedProduct] = a } }
        return all
    }
}

public typealias ProvisioningError = Refusal<ProvisioningErrorCode>

/// The codes of the fulfillment context: provisioning messages, answers and jeopardy.
public enum ProvisioningErrorCode: String, RefusalCode {
    case unknownMessage = "unknown-provisioning-message"
    case unknownAttempt = "unknown-provisioning-attempt"
    case notInJeopardy = "not-in-jeopardy"
}
