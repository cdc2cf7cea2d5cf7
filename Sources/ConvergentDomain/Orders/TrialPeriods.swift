/// R-10.1: trial periods are enabled for the business unit, with a default duration in days (the
/// legal minimum) per source and sub-source. An administrator keeps this setup.
public struct TrialSetup: Hashable, Sendable, Codable {
    public struct Default: Hashable, Sendable, Codable {
        public var source: String
        /// Nil: every sub-source of the source that has no default of its own.
        public var subSource: String?
        public var days: Int

        public init(source: String, subSource: String? = nil, days: Int) {
            self.source = source
            self.subSource = subSource
            self.days = days
        }
    }

    public var enabled: Bool
    public var defaults: [Default]

    public init(enabled: Bool = true, defaults: [Default] = []) {
        self.enabled = enabled
        self.defaults = defaults
    }

    /// The aggregate id of the setup record.
    public static let id = "trial-periods"

    /// A trial lasts 0 to 3650 days (ten years): longer is a typing error, not a trial.
    public static let allowedDays = 0...3650

    public static func checkDays(_ days: Int, field: String = "trialDays") throws(OrderError) {
        guard allowedDays.contains(days) else {
            throw OrderError(.invalidTrialDuration, "a trial duration is \(allowedDays.lowerBound) to \(allowedDays.upperBound) days, not \(days)", field: field)
        }
    }

    /// The demo operator's setup: 14 days for web and phone sales, 30 for doorstep selling.
    public static let demo = TrialSetup(enabled: true, defaults: [
        .init(source: "web", days: 14), .init(source: "phone", days: 14), .init(source: "doorstep", days: 30),
        .init(source: "shop", subSource: "partner", days: 7),
    ])

    /// Each source and sub-source pair once, durations not negative.
    public func validate() throws(SetupError) {
        var seen: Set<String> = []
        for (i, d) in defaults.enumerated() {
            guard Self.allowedDays.contains(d.days) else {
                throw SetupError(.invalidTrialSetup, "a trial duration is \(Self.allowedDays.lowerBound) to \(Self.allowedDays.upperBound) days", field: "defaults[\(i)].days")
            }
            guard !d.source.isEmpty else { throw SetupError(.invalidTrialSetup, "name the source", field: "defaults[\(i)].source") }
            guard seen.insert("\(d.source)\u{0}\(d.subSource ?? "")").inserted else {
                throw SetupError(.invalidTrialSetup, "source \(d.source) / \(d.subSource ?? "any sub-source") has two defaults", field: "defaults[\(i)]")
            }
        }
    }

    /// The default duration for a source and sub-source: the pair's own, else the source's; nil
    /// when trial periods are disabled or nothing is set up.
    public func defaultDays(source: String?, subSource: String?) -> Int? {
        guard enabled, let source else { return nil }
        if let subSource, let own = defaults.first(where: { $0.source == source && $0.subSource == subSource }) { return own.days }
        return defaults.first { $0.source == source && $0.subSource == nil }?.days
    }

    /// R-10.1 at order creation: the default when none is given; a duration below the default is refused.
    public func trialDays(requested: Int?, source: String?, subSource: String?) throws(OrderError) -> Int? {
        let minimum = defaultDays(source: source, subSource: subSource)
        guard let requested else { return minimum }
        try Self.checkDays(requested)
        if let minimum, requested < minimum {
            throw OrderError(.trialLowered, "the trial duration for \(source ?? "") / \(subSource ?? "-") is at least \(minimum) days (the default)", field: "trialDays")
        }
        return requested
    }
}

public typealias SetupError = Refusal<SetupErrorCode>

/// The codes of the operator's setup: trial-period defaults and reason codes an administrator sets.
public enum SetupErrorCode: String, RefusalCode {
    case invalidTrialSetup = "invalid-trial-setup"
    case invalidReasonCodes = "invalid-reason-codes"
}
