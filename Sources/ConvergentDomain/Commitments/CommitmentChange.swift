/// a change to an installed commitment made in a configuration session — a new
/// end date, installed products added to or removed from what it covers — with the agent's
/// reason. The session keeps it, the order takes it on the line of the contract the commitment
/// was triggered in when the session is saved, and it applies when that order completes.
public struct CommitmentChange: Hashable, Sendable, Codable {
    public var commitment: String
    public var endsOn: Day?
    public var add: [String]?
    public var remove: [String]?
    public var reason: String

    public init(commitment: String, endsOn: Day? = nil, add: [String]? = nil, remove: [String]? = nil, reason: String) {
        self.commitment = commitment
        self.endsOn = endsOn
        self.add = add
        self.remove = remove
        self.reason = reason
    }

    /// A change that changes nothing withdraws the session's change of that commitment.
    public var isEmpty: Bool { endsOn == nil && (add ?? []).isEmpty && (remove ?? []).isEmpty }

    /// The installed contract whose line carries the change: the one the commitment was
    /// triggered in (else the first it covers).
    public static func home(of commitment: CommitmentContract) -> String? {
        commitment.triggeredBy.map { String($0.prefix { $0 != "." }) } ?? commitment.covers.first?.installedContract
    }

    /// The commitment as the change leaves it on `today` (refusals as the direct changes give
    /// them), `installed`: the contracts of the products named, by id; `coverable`: what its
    /// covering rules name. Uncovering the product that triggered it is not refused here: in a
    /// session it makes the configuration invalid (`brokenTrigger`) until undone.
    public func applied(to commitment: CommitmentContract, installed: [String: InstalledContract], coverable: Set<ProductID>,
                        today: Day) throws(CommitmentError) -> CommitmentContract {
        var changed = commitment
        if let endsOn { try changed.changeTerm(endsOn: endsOn, today: today, reason: reason) }
        if !(add ?? []).isEmpty || !(remove ?? []).isEmpty {
            try changed.changeCoverage(adding: add ?? [], removing: remove ?? [], installed: installed, coverable: coverable, today: today,
                                       reason: reason, keepingTrigger: false)
        }
        return changed
    }

    /// the error a change that uncovers the product that triggered the commitment gives
    /// the session's configuration while that product stays in it — its triggering rule (from
    /// `rules`) no longer holds. Nil when the change leaves the trigger covered.
    public func brokenTrigger(of commitment: CommitmentContract, in report: VerificationReport, rules: [ConfigurationRule]) -> VerificationMessage? {
        guard let trigger = commitment.triggeredBy, (remove ?? []).contains(trigger),
              let element = report.elements.first(where: { $0.instance == trigger && !$0.removed }) else { return nil }
        let rule = rules.first { rule in
            if case let .commitmentTrigger(source, product) = rule.kind { return source == element.product && product == commitment.product }
            return false
        }
        return VerificationMessage(rule: rule?.id ?? "R-9.4", severity: .error,
                                   message: "\(element.product) (\(trigger)) brought commitment \(commitment.id) (\(commitment.product)): uncovering it breaks its triggering rule",
                                   detail: "the session's change of \(commitment.id) removes \(trigger) from its coverage while \(trigger) stays; keep it covered, or remove \(trigger) too",
                                   product: element.product, instance: trigger, contract: element.contract, customer: element.customer)
    }
}

extension ConfigurationSession {
    /// whether a change of `commitment` belongs in the session: its home contract (where it
    /// was triggered, else the first it covers) is one of the session's.
    public func holds(_ commitment: CommitmentContract) -> Bool {
        CommitmentChange.home(of: commitment).map { contractLines[$0] != nil } == true
    }
}

extension VerificationReport {
    /// The report with more errors on the elements (or contracts) they name: counted, and the
    /// status Invalid.
    public func adding(_ errors: [VerificationMessage]) -> VerificationReport {
        guard !errors.isEmpty else { return self }
        var copy = self
        for error in errors {
            if let instance = error.instance, let i = copy.elements.firstIndex(where: { $0.instance == instance }) {
                copy.elements[i].errors.append(error)
            } else {
                copy.contractMessages.append(error)
            }
        }
        copy.errorCount += errors.count
        copy.status = .invalid
        return copy
    }
}

extension Order {
    /// the session's commitment changes, each on the line servicing its home contract
    /// (`homes`: commitment id to installed contract id); the lines a session configures hold
    /// exactly the session's changes.
    public mutating func recordCommitmentChanges(_ changes: [CommitmentChange], homes: [String: String]) throws(OrderError) {
        try requireEditable()
        for i in lines.indices where lines[i].takesPartInSessions {
            let mine = changes.filter { change in homes[change.commitment].map { $0 == lines[i].installedContract } ?? false }
            lines[i].commitmentChanges = mine.isEmpty ? nil : mine
        }
    }

    /// every commitment change the order's lines carry.
    public var commitmentChanges: [CommitmentChange] { lines.flatMap { $0.commitmentChanges ?? [] } }
}
