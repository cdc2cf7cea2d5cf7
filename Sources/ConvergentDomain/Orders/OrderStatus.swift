/// R-3 order lifecycle, one transition table, enforced in `OrderStatus.transition(to:)` only.
public enum OrderStatus: String, Hashable, Sendable, Codable, CaseIterable {
    case draft, held, submitted, queued, inFulfillment, completed, cancelled

    /// Every allowed move. Holds found at validation hold a draft; clearing or overriding them
    /// returns it to draft. A future-dated order is queued at submission and, on its
    /// execution date, released (submitted) or held again; while queued it can be changed or
    /// cancelled. Fulfillment moves a submitted order on (issue 4).
    public static let transitions: [OrderStatus: Set<OrderStatus>] = [
        .draft: [.held, .submitted, .queued, .cancelled],
        .held: [.draft, .cancelled],
        .queued: [.submitted, .held, .cancelled],
        .submitted: [.inFulfillment, .cancelled],
        .inFulfillment: [.completed],
        .completed: [],
        .cancelled: [],
    ]

    public func canMove(to next: OrderStatus) -> Bool { Self.transitions[self]?.contains(next) ?? false }

    /// The next status, or an `illegal-transition` error naming both.
    public func transition(to next: OrderStatus) throws(OrderError) -> OrderStatus {
        guard canMove(to: next) else {
            throw OrderError(.illegalTransition, "an order cannot go from \(rawValue) to \(next.rawValue)", field: "status")
        }
        return next
    }

    /// Lines and header can be edited (R-11.4: a queued order too, as maintenance).
    public var isEditable: Bool { self == .draft || self == .held || self == .queued }

    /// Nothing follows it (completed, cancelled): the table's end.
    public var isFinished: Bool { Self.transitions[self]?.isEmpty ?? true }
}

/// Status of one line after submission (the child states).
public enum LineStatus: String, Hashable, Sendable, Codable, CaseIterable {
    case open, submitted, inFulfillment, completed, failed, cancelled

    public static let transitions: [LineStatus: Set<LineStatus>] = [
        .open: [.submitted, .cancelled],
        .submitted: [.inFulfillment, .cancelled],
        .inFulfillment: [.completed, .failed],
        .failed: [.inFulfillment, .cancelled],
        .completed: [],
        .cancelled: [],
    ]

    public func transition(to next: LineStatus) throws(OrderError) -> LineStatus {
        guard Self.transitions[self]?.contains(next) ?? false else {
            throw OrderError(.illegalTransition, "a line cannot go from \(rawValue) to \(next.rawValue)", field: "status")
        }
        return next
    }
}

/// configuration status of a bundle line.
public enum LineConfigurationStatus: String, Hashable, Sendable, Codable, CaseIterable {
    case notValidated = "Not Validated", valid = "Valid", validWithWarning = "Valid with Warning"
    case invalid = "Invalid", invalidated = "Invalidated"

    public init(_ status: ConfigurationStatus) {
        switch status {
        case .valid: self = .valid
        case .validWithWarning: self = .validWithWarning
        case .invalid: self = .invalid
        }
    }

    /// What an trigger does: a validated line becomes Invalidated; others stay as they are.
    public var invalidated: LineConfigurationStatus {
        switch self {
        case .valid, .validWithWarning, .invalid: .invalidated
        case .notValidated, .invalidated: self
        }
    }
}

/// Why an order operation was refused: a stable code and the field at fault.
public typealias OrderError = Refusal<OrderErrorCode>

/// The codes of the order context: header, lines, lifecycle, sessions, submission.
public enum OrderErrorCode: String, RefusalCode {
    case illegalTransition = "illegal-transition"
    case notEditable = "order-not-editable"
    case notTopLevel = "not-top-level"
    case notAllowedForCaptureType = "not-allowed-for-capture-type"
    case ownerRequired = "owner-required"
    case ownerFixed = "owner-fixed"
    case unknownLine = "unknown-line"
    case unknownCustomer = "unknown-customer-on-order"
    case trialLowered = "trial-duration-lowered"
    case nothingToConfigure = "nothing-to-configure"
    case sessionClosed = "session-closed"
    case held = "order-held"
    case notDue = "not-due"
    case alreadyConverted = "quote-already-converted"
    case installedContractRequired = "installed-contract-required"
    case duplicateRow = "duplicate-row"
    case unknownRow = "unknown-row"
    case noRows = "no-rows"
    case linkedOut = "line-linked-out"
    case invalidInformation = "invalid-order-information"
    case invalidTrialDuration = "invalid-trial-duration"
    case unknownReasonCode = "unknown-reason-code"
    case duplicateCustomer = "customer-already-on-order"
    case soldToFixed = "sold-to-fixed"
    case confirmationRequired = "confirmation-required"
    case migrationInProgress = "migration-in-progress"
    case billingNotAllowed = "billing-not-allowed"
    case unknownBillingRow = "unknown-billing-row"
    case unknownAccount = "unknown-billing-account"
    case unknownComponent = "unknown-component"
    case unknownMigration = "unknown-migration"
    /// commitment lines come from triggering rules, not from the agent.
    case commitmentLine = "commitment-line"
    /// the commitment chosen is not one the line's triggering rules offer.
    case notOffered = "commitment-not-offered"
    /// an agreement line covering what it cannot (not its customer's, not active, not a product it covers).
    case agreementNotCoverable = "agreement-not-coverable"
}
