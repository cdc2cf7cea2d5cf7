import Foundation

extension Day {
    /// The same day of the month `months` later; the month's last day when it is shorter
    /// (31 January + 1 month is 28 or 29 February).
    public func adding(months: Int) -> Day {
        let (y, m, d) = components
        let total = y * 12 + (m - 1) + months
        let year = total >= 0 ? total / 12 : (total - 11) / 12
        let month = total - year * 12 + 1
        return Day(year: year, month: month, day: min(d, Day.daysIn(month: month, year: year)))!
    }

    /// Whole months from this day to `later`, a month begun counting as whole (0 when `later` is
    /// not after this day): what remains of a commitment, as R-9's penalty rules count it.
    public func monthsStarted(until later: Day) -> Int {
        guard later > self else { return 0 }
        var months = 0
        while adding(months: months) < later { months += 1 }
        return months
    }
}

extension CommitmentTerms {
    /// The end date of a commitment starting on `start` (exclusive: the commitment is kept once this day comes).
    public func end(from start: Day) -> Day {
        switch unit {
        case .months: start.adding(months: duration)
        case .days: start.adding(days: duration)
        }
    }
}

/// R-9.3, R-16.2: what breaking a commitment costs on a given day.
public struct Penalty: Hashable, Sendable, Codable {
    public var amount: Decimal
    public var currency: String?
    public var rule: PenaltyRule
    /// The day it is priced for (the day the covered product ended).
    public var on: Day
    /// Months left to the end date, a month begun counting as whole.
    public var remainingMonths: Int
    /// R-10.4: ended inside the trial period: no penalty, and no violation.
    public var insideTrial: Bool

    public init(amount: Decimal, currency: String?, rule: PenaltyRule, on: Day, remainingMonths: Int, insideTrial: Bool) {
        self.amount = amount
        self.currency = currency
        self.rule = rule
        self.on = on
        self.remainingMonths = remainingMonths
        self.insideTrial = insideTrial
    }
}

/// R-9, R-16.2: the one pricing of a commitment's penalty — the daily run, a migration across
/// customers, a disconnection and any preview all call it, so an agent sees before submitting
/// what the run will record.
public enum CommitmentPenalty {
    /// The penalty for ending, on `day`, something a commitment with `terms` covers, which runs
    /// from `start` to `end` and whose covered products cost `monthlyFee` a month. Nothing on or
    /// after the end date (the commitment was kept), nor on or before `trialEndsOn` (R-10.4).
    public static func price(_ terms: CommitmentTerms, start: Day, end: Day, monthlyFee: Decimal, feeCurrency: String?,
                             on day: Day, trialEndsOn: Day? = nil) -> Penalty {
        let rule = terms.rule
        let currency = terms.penaltyCurrency ?? feeCurrency
        let remaining = day.monthsStarted(until: end)
        if let trialEndsOn, day <= trialEndsOn {
            return Penalty(amount: 0, currency: currency, rule: rule, on: day, remainingMonths: remaining, insideTrial: true)
        }
        guard day < end else { return Penalty(amount: 0, currency: currency, rule: rule, on: day, remainingMonths: 0, insideTrial: false) }
        let amount: Decimal
        switch rule {
        case .fixed:
            amount = terms.penaltyAmount ?? 0
        case .remainingMonthsTimesMonthlyFee:
            amount = Decimal(remaining) * monthlyFee
        case .reducing:
            // Linear to zero at the end: the amount × the share of the term's days still to run.
            let total = max(1, end.daysSinceEpoch - start.daysSinceEpoch)
            let left = end.daysSinceEpoch - max(day, start).daysSinceEpoch
            amount = (terms.penaltyAmount ?? 0) * Decimal(left) / Decimal(total)
        case .percentageOfRemaining:
            amount = Decimal(remaining) * monthlyFee * (terms.penaltyPercentage ?? 0) / 100
        }
        return Penalty(amount: rounded(amount), currency: currency, rule: rule, on: day, remainingMonths: remaining, insideTrial: false)
    }

    /// Money to the cent, half away from zero.
    static func rounded(_ value: Decimal) -> Decimal {
        var v = value
        var result = Decimal()
        NSDecimalRound(&result, &v, 2, .plain)
        return result
    }
}

/// R-9.2, R-9.3: a commitment contract's life, one transition table. Active until the daily
/// run finds a covered product ended before the end date (Violated, with the penalty), the end
/// date passed (Expired), or every covered product returned inside the trial period (Cancelled,
/// R-10.4: no penalty). The three ends are final.
public enum CommitmentStatus: String, Hashable, Sendable, Codable, CaseIterable {
    case active, violated, expired, cancelled

    public static let transitions: [CommitmentStatus: Set<CommitmentStatus>] = [
        .active: [.violated, .expired, .cancelled],
        .violated: [], .expired: [], .cancelled: [],
    ]

    public func canMove(to next: CommitmentStatus) -> Bool { Self.transitions[self]?.contains(next) ?? false }
}

/// R-9.3: the link between a commitment and one product it covers: Active while the commitment
/// holds it, Inactive once the commitment expired or the product returned inside the trial.
public struct CommitmentCoverage: Hashable, Sendable, Codable {
    public var installedProduct: String
    public var installedContract: String
    public var product: ProductID
    public var active: Bool
    /// The day the covered product was disconnected, once it was.
    public var endedOn: Day?
    /// R-6.3: the covered product left its contract by a migration whose other side is not yet
    /// installed: it did not end; where it arrives decides (the coverage follows it, or the
    /// commitment breaks).
    public var leaving: Bool?

    public init(installedProduct: String, installedContract: String, product: ProductID, active: Bool = true, endedOn: Day? = nil) {
        self.installedProduct = installedProduct
        self.installedContract = installedContract
        self.product = product
        self.active = active
        self.endedOn = endedOn
    }
}

/// One entry of a commitment contract's status history.
public typealias CommitmentStatusChange = StatusChange<CommitmentStatus>

/// R-9.4: why a change of a commitment contract was refused.
public enum CommitmentErrorCode: String, RefusalCode {
    /// Only an active commitment changes (its status table; a final one stays as it ended).
    case notActive = "commitment-not-active"
    /// A new end date after today and after the start, and not the one it has.
    case invalidTerm = "invalid-commitment-term"
    /// An installed product the commitment cannot cover: not active, another customer's, or a
    /// product its covering rules do not name.
    case notCoverable = "not-coverable"
    /// A product the commitment does not cover.
    case notCovered = "not-covered"
    /// R-9.4: the product that triggered the commitment stays covered (its triggering rule would break).
    case triggerKept = "commitment-trigger-kept"
    /// A change that names nothing to add or remove.
    case nothingToChange = "nothing-to-change"
    /// R-9.4: a session changes only the commitments triggered in its contracts.
    case notInSession = "commitment-not-in-session"
    /// A reason kept in the history is at most 500 characters (`CommitmentContract.maxReason`).
    case reasonTooLong = "reason-too-long"
}

public typealias CommitmentError = Refusal<CommitmentErrorCode>

/// R-9.2: the read-only record fulfillment makes of a commitment product: who is committed,
/// to what, covering which installed products, from when to when. Only the daily run (R-9.3)
/// changes its status, through `CommitmentStatus.transitions`.
public struct CommitmentContract: Hashable, Sendable, Codable, Identifiable {
    /// `CC-<order>-<line>`: the order and commitment line that made it.
    public var id: String
    public var customer: String
    /// The commitment product, and its terms as sold (a later catalog does not change them).
    public var product: ProductID
    public var terms: CommitmentTerms
    public var order: String
    public var line: Int
    /// R-9.1: the installed product whose configuration brought the commitment (Brings Commitment).
    public var triggeredBy: String?
    /// R-9.1: the installed products it covers (Commits / Is Committed).
    public var covers: [CommitmentCoverage]
    public var startsOn: Day
    public var endsOn: Day
    /// R-10.4: ending a covered product on or before this day is not a violation.
    public var trialEndsOn: Day?
    /// The covered products' recurring fee a month when it was sold (what penalty rules price with).
    public var monthlyFee: Decimal
    public var currency: String?
    public private(set) var status: CommitmentStatus
    /// R-9.3: what a violation costs, recorded by the daily run; and the product that broke it.
    public private(set) var penalty: Penalty?
    public private(set) var brokenBy: String?
    public private(set) var history: [CommitmentStatusChange]
    /// R-9.2, R-7.6: the installed commitment made with it (`IC-<order>-<line>`, an installed
    /// contract of the commitment product). Nil on commitments fulfilled before installed
    /// commitments were made.
    public var installedCommitment: String?

    public init(id: String, customer: String, product: ProductID, terms: CommitmentTerms, order: String, line: Int, triggeredBy: String?,
                covers: [CommitmentCoverage], startsOn: Day, trialEndsOn: Day?, monthlyFee: Decimal, currency: String?) {
        self.id = id
        self.customer = customer
        self.product = product
        self.terms = terms
        self.order = order
        self.line = line
        self.triggeredBy = triggeredBy
        self.covers = covers
        self.startsOn = startsOn
        endsOn = terms.end(from: startsOn)
        self.trialEndsOn = trialEndsOn
        self.monthlyFee = monthlyFee
        self.currency = currency
        status = .active
        history = [CommitmentStatusChange(status: .active, on: startsOn, reason: "fulfilled by order \(order)")]
    }

    /// The id of the commitment contract an order's commitment line makes.
    public static func id(order: String, line: Int) -> String { "CC-\(order)-\(line)" }

    /// R-9.2, R-7.6: the installed commitment fulfillment makes with the contract on `day`: an
    /// installed contract of the commitment product, Active, owned and paid by no one else (a
    /// commitment is not billed as a product), pointing back at the contract.
    public func installed(on day: Day) -> InstalledContract? {
        guard let id = installedCommitment else { return nil }
        var installed = InstalledContract(id: id, customer: customer, status: .active, installedOn: day,
                                          root: InstalledProduct(id: id, product: product, status: .active, installedOn: day, owner: customer))
        installed.commitmentContract = self.id
        return installed
    }

    /// R-16.2: the penalty ending a covered product on `day` would cost.
    public func penalty(endingOn day: Day) -> Penalty {
        CommitmentPenalty.price(terms, start: startsOn, end: endsOn, monthlyFee: monthlyFee, feeCurrency: currency, on: day, trialEndsOn: trialEndsOn)
    }

    mutating func move(to next: CommitmentStatus, on day: Day, reason: String) throws(CommitmentError) {
        guard status.canMove(to: next) else {
            throw CommitmentError(.notActive, "commitment \(id) cannot go from \(status.rawValue) to \(next.rawValue)", field: "status")
        }
        status = next
        history.append(CommitmentStatusChange(status: next, on: day, reason: reason))
    }

    /// R-9.3: the daily run's judgement as of `day`, given the days covered products ended
    /// (by installed product id). A covered product ended before the end date and after the trial
    /// violates it (the penalty priced on the day it ended); one ended inside the trial leaves
    /// the coverage (Inactive, no penalty) — all of them so: Cancelled; the end date reached:
    /// Expired, its links Inactive. Nil when nothing changes (an active commitment with nothing
    /// ended, or one already final): running a day twice changes nothing twice.
    public func judged(asOf day: Day, ended: [String: Day]) -> CommitmentContract? {
        guard status == .active else { return nil }
        var next = self
        for i in next.covers.indices where next.covers[i].endedOn == nil && next.covers[i].leaving != true {
            if let end = ended[next.covers[i].installedProduct], end <= day { next.covers[i].endedOn = end }
        }
        // The first product ended before the end date and after the trial breaks it.
        let breaking = next.covers.filter { c in
            guard let end = c.endedOn, c.active, end < endsOn else { return false }
            return trialEndsOn.map { end > $0 } ?? true
        }.min { ($0.endedOn!, $0.installedProduct) < ($1.endedOn!, $1.installedProduct) }
        for i in next.covers.indices where next.covers[i].active {
            if let end = next.covers[i].endedOn, let trial = trialEndsOn, end <= trial { next.covers[i].active = false }
        }
        do {
            if let breaking, let end = breaking.endedOn {
                next.penalty = penalty(endingOn: end)
                next.brokenBy = breaking.installedProduct
                try next.move(to: .violated, on: end, reason: "\(breaking.product) (\(breaking.installedProduct)) ended on \(end), before \(endsOn)")
            } else if !next.covers.isEmpty, next.covers.allSatisfy({ !$0.active }) {
                try next.move(to: .cancelled, on: day, reason: "every covered product was returned inside the trial period (to \(trialEndsOn?.description ?? "?"))")
            } else if endsOn <= day {
                for i in next.covers.indices { next.covers[i].active = false }
                try next.move(to: .expired, on: endsOn, reason: "the commitment ran to its end date \(endsOn)")
            }
        } catch {
            return nil
        }
        return next == self ? nil : next
    }
}

extension Fulfillment {
    /// The installed ids a new line's components get (`pending` numbers them so: the root is the
    /// contract, the others `<contract>.<n>` in tree order), by instance key.
    public static func installedIDs(of line: OrderLine, order: String) -> [String: String] {
        guard line.isNew, let root = line.configuration?.root else { return [:] }
        let contract = contractID(order: order, line: line.number)
        var ids: [String: String] = [root.id: contract]
        var next = 0
        func visit(_ c: ConfigurationDocument.Component) {
            for child in c.components ?? [] {
                next += 1
                ids[child.id] = "\(contract).\(next)"
                visit(child)
            }
        }
        visit(root)
        return ids
    }

    /// R-9.2, R-7.6: the commitment contracts an order's commitment lines make when it completes
    /// on `day` — the customer, the commitment product and its terms, the installed products it
    /// covers, from `day` to the end of its duration, Active — and the covered products in
    /// `contracts` (the order's settled contracts, by id) referencing them. `existing`: the ids
    /// already made (a step run again makes none twice).
    public static func commitmentContracts(of order: Order, contracts: inout [String: InstalledContract], catalog: CatalogIndex,
                                           on day: Day, existing: Set<String>) -> [CommitmentContract] {
        var made: [CommitmentContract] = []
        for line in order.commitmentLines {
            guard let commitment = line.commitment, let terms = catalog.product(line.product)?.commitment,
                  let bundle = order.lines.first(where: { $0.number == commitment.commits }) else { continue }
            let id = CommitmentContract.id(order: order.id, line: line.number)
            let contractID = bundle.installedContract ?? contractID(order: order.id, line: bundle.number)
            guard !existing.contains(id), var contract = contracts[contractID] else { continue }
            // Recorded when fulfillment started; worked out again for orders started before that was.
            let ids = commitment.installed ?? installedIDs(of: bundle, order: order.id)
            var covers: [CommitmentCoverage] = []
            var fee: Decimal = 0
            var currency: String?
            for key in commitment.covers {
                guard let installed = ids[key], let product = contract.product(installed)?.component else { continue }
                covers.append(CommitmentCoverage(installedProduct: installed, installedContract: contractID, product: product.product))
                for price in catalog.product(product.product)?.prices ?? [] where price.type == .recurring {
                    fee += price.amount
                    currency = currency ?? price.currency
                }
            }
            guard !covers.isEmpty else { continue }
            let covered = Set(covers.map(\.installedProduct))
            contract.root = contract.root.map { p in
                guard covered.contains(p.id) else { return p }
                var copy = p
                copy.commitments = (p.commitments ?? []) + [id]
                return copy
            }
            contracts[contractID] = contract
            var contractMade = CommitmentContract(id: id, customer: line.customer, product: line.product, terms: terms, order: order.id,
                                                  line: line.number, triggeredBy: ids[commitment.triggeredBy], covers: covers, startsOn: day,
                                                  trialEndsOn: order.trialEndsOn, monthlyFee: fee, currency: currency)
            // R-9.2: its installed commitment is the installed contract the commitment line makes.
            contractMade.installedCommitment = Fulfillment.contractID(order: order.id, line: line.number)
            made.append(contractMade)
        }
        return made
    }
}

extension CommitmentContract {
    /// R-6.3, R-9: a covered product migrated within its customer is covered where it went: the
    /// coverage follows it to its new installed id (and contract). Nothing when it is not covered.
    public mutating func follow(_ old: String, to new: String, in contract: String) {
        for i in covers.indices where covers[i].installedProduct == old {
            covers[i].installedProduct = new
            covers[i].installedContract = contract
            covers[i].leaving = nil
        }
    }

    /// R-6.3: a covered product left its contract by a migration (its other side settles later).
    public mutating func leave(_ installed: String) {
        for i in covers.indices where covers[i].installedProduct == installed && covers[i].endedOn == nil { covers[i].leaving = true }
    }

    /// R-6.3: a covered product migrated to another customer breaks the commitment: Violated on
    /// `day`, with the penalty of that day (none inside the trial: then its link ends, as a return).
    public mutating func breakByMigration(of installed: String, to customer: String, on day: Day) throws(CommitmentError) {
        guard status == .active, let i = covers.firstIndex(where: { $0.installedProduct == installed }) else { return }
        covers[i].endedOn = day
        covers[i].leaving = nil
        let priced = penalty(endingOn: day)
        if priced.insideTrial {
            covers[i].active = false
            if covers.allSatisfy({ !$0.active }) {
                try move(to: .cancelled, on: day, reason: "every covered product left inside the trial period (the last migrated to \(customer))")
            }
            return
        }
        penalty = priced
        brokenBy = installed
        try move(to: .violated, on: day, reason: "\(covers[i].product) (\(installed)) migrated to another customer, \(customer), on \(day) (R-6.3)")
    }
}

/// R-16.2: an active commitment an order would break, the covered product that breaks it, why,
/// and what it would cost — shown before the order is submitted.
public struct CommitmentBreak: Hashable, Sendable {
    public var commitment: String
    public var installedProduct: String
    public var cause: String
    public var penalty: Penalty

    public init(commitment: String, installedProduct: String, cause: String, penalty: Penalty) {
        self.commitment = commitment
        self.installedProduct = installedProduct
        self.cause = cause
        self.penalty = penalty
    }
}

extension Order {
    /// R-9.3, R-6.3: the installed products this order ends — every product of a contract it
    /// disconnects, the components a change removes (with what is below them), what migrates to
    /// another customer — with why, read from the installed contracts its lines service.
    public func endedInstalledProducts(installed: [String: InstalledContract]) -> [(id: String, cause: String)] {
        var ended: [(String, String)] = []
        // What migrates is judged by where it goes (below), not by the contract it leaves — even
        // one that the migrations empty and disconnect.
        var seen: Set<String> = Set(migrations.flatMap { m in
            installed[String(m.migration.component.prefix { $0 != "." })]?.product(m.migration.component)?.component.all.map(\.id) ?? []
        })
        func add(_ product: InstalledProduct, _ cause: String) {
            for p in product.all where p.status != .disconnected && seen.insert(p.id).inserted { ended.append((p.id, cause)) }
        }
        for line in lines {
            guard let id = line.installedContract, let contract = installed[id] else { continue }
            if line.action == .disconnect {
                add(contract.root, "line \(line.number) disconnects \(id)")
            } else if let root = line.configuration?.root {
                func visit(_ c: ConfigurationDocument.Component) {
                    if c.removed == true, let p = contract.product(c.id)?.component { add(p, "line \(line.number) removes \(c.product)"); return }
                    for child in c.components ?? [] { visit(child) }
                }
                visit(root)
            }
        }
        for m in migrations where m.migration.crossCustomer {
            let source = String(m.migration.component.prefix { $0 != "." })
            for p in installed[source]?.product(m.migration.component)?.component.all ?? [] where p.status != .disconnected {
                ended.append((p.id, "migration \(m.migration.id) moves \(m.migration.product) to \(m.migration.targetCustomer)"))
            }
        }
        return ended
    }

    /// R-16.2: the commitments (active, by id) the order would break if it completed on `day`, with their penalties.
    /// R-9.4: its own commitment changes count as they will apply when it completes (`coverable`:
    /// what each commitment product's covering rules name): a product it uncovers breaks nothing,
    /// a new end date is the one the penalty is priced to. A change that would not apply then
    /// (refused as its completion would refuse it) is left out here too.
    public func commitmentBreaks(installed: [String: InstalledContract], commitments: [String: CommitmentContract],
                                 coverable: [ProductID: Set<ProductID>], on day: Day) -> [CommitmentBreak] {
        var commitments = commitments
        for change in commitmentChanges {
            guard let current = commitments[change.commitment],
                  let changed = try? change.applied(to: current, installed: installed, coverable: coverable[current.product] ?? [], today: day) else { continue }
            commitments[change.commitment] = changed
        }
        var breaks: [CommitmentBreak] = []
        var counted: Set<String> = []
        for (id, cause) in endedInstalledProducts(installed: installed) {
            let contract = installed[String(id.prefix { $0 != "." })]
            for commitmentID in contract?.product(id)?.component.commitments ?? [] {
                guard let commitment = commitments[commitmentID], commitment.status == .active,
                      commitment.covers.contains(where: { $0.installedProduct == id && $0.active }),
                      counted.insert(commitmentID).inserted else { continue }
                breaks.append(CommitmentBreak(commitment: commitmentID, installedProduct: id, cause: cause, penalty: commitment.penalty(endingOn: day)))
            }
        }
        return breaks
    }
}

extension CommitmentContract {
    /// The longest reason a change keeps in the history (the API's limit, enforced for every caller).
    public static let maxReason = 500

    static func check(reason: String) throws(CommitmentError) {
        guard reason.count <= maxReason else {
            throw CommitmentError(.reasonTooLong, "a reason is at most \(maxReason) characters (this one has \(reason.count))", field: "reason")
        }
    }

    /// R-9.4: shortens or extends the commitment to end on `endsOn` — after today and after its
    /// start — recorded in its history with the reason.
    public mutating func changeTerm(endsOn new: Day, today: Day, reason: String) throws(CommitmentError) {
        try Self.check(reason: reason)
        guard status == .active else {
            throw CommitmentError(.notActive, "commitment \(id) is \(status.rawValue): only an active commitment is shortened or extended", field: "status")
        }
        guard new > today, new > startsOn else {
            throw CommitmentError(.invalidTerm, "the new end date \(new) must be after today (\(today)) and after the start (\(startsOn))", field: "endsOn")
        }
        guard new != endsOn else { throw CommitmentError(.invalidTerm, "commitment \(id) already ends on \(new)", field: "endsOn") }
        let was = endsOn
        endsOn = new
        history.append(CommitmentStatusChange(status: status, on: today, reason: "\(new > was ? "extended" : "shortened") from \(was) to \(new)" + (reason.isEmpty ? "" : ": \(reason)")))
    }

    /// R-9.4: changes what the commitment covers — `adding` installed products (checked by the
    /// caller: active, the customer's, a product the covering rules name), `removing` covered ones
    /// (never the one that triggered it, nor the last) — recorded in its history with the reason.
    /// `keepingTrigger` false: the triggering product may be uncovered (in a session, where that
    /// invalidates the configuration instead, R-9.4).
    public mutating func changeCoverage(adding: [CommitmentCoverage], removing: [String], today: Day, reason: String,
                                        keepingTrigger: Bool = true) throws(CommitmentError) {
        try Self.check(reason: reason)
        guard status == .active else {
            throw CommitmentError(.notActive, "commitment \(id) is \(status.rawValue): only an active commitment changes its coverage", field: "status")
        }
        guard !adding.isEmpty || !removing.isEmpty else {
            throw CommitmentError(.nothingToChange, "name installed products to add or to remove", field: "add")
        }
        for (i, id) in removing.enumerated() {
            guard covers.contains(where: { $0.installedProduct == id && $0.active }) else {
                throw CommitmentError(.notCovered, "commitment \(self.id) does not cover \(id)", field: "remove[\(i)]")
            }
            if keepingTrigger, id == triggeredBy {
                throw CommitmentError(.triggerKept, "\(id) triggered commitment \(self.id): uncovering it would break its triggering rule", field: "remove[\(i)]")
            }
        }
        for (i, added) in adding.enumerated() where covers.contains(where: { $0.installedProduct == added.installedProduct && $0.active }) {
            throw CommitmentError(.notCoverable, "commitment \(id) already covers \(added.installedProduct)", field: "add[\(i)]")
        }
        // A coverage removed stays, its link inactive (nothing is deleted).
        for i in covers.indices where removing.contains(covers[i].installedProduct) { covers[i].active = false }
        covers += adding
        guard covers.contains(where: \.active) else {
            throw CommitmentError(.notCovered, "a commitment covers at least one product", field: "remove")
        }
        let what = (adding.map { "+\($0.installedProduct)" } + removing.map { "-\($0)" }).joined(separator: " ")
        history.append(CommitmentStatusChange(status: status, on: today, reason: "coverage changed: \(what)" + (reason.isEmpty ? "" : ": \(reason)")))
    }
}

/// R-6.3, R-9.4: what a commitment or a service agreement of a customer may cover — one rule for
/// both: an installed product that is active, owned by that customer, of a product the
/// commitment's covering rules (or the agreement's terms) name.
public enum Coverage {
    /// The coverage of installed product `id` (read from `installed`, by contract id), or why it cannot be covered.
    public static func of(_ id: String, installed: [String: InstalledContract], customer: String, coverer: ProductID,
                          coverable: Set<ProductID>) -> Result<CommitmentCoverage, CoverageRefusal> {
        let contractID = String(id.prefix { $0 != "." })
        guard let contract = installed[contractID], let product = contract.product(id)?.component else {
            return .failure(CoverageRefusal("no installed product '\(id)'"))
        }
        let owner = product.owner ?? contract.customer
        guard product.status == .active, owner == customer else {
            return .failure(CoverageRefusal("\(id) is \(product.status.rawValue) and belongs to \(owner): \(coverer) of \(customer) covers that customer's active products"))
        }
        guard coverable.contains(product.product) else {
            return .failure(CoverageRefusal("\(coverer) does not cover \(product.product) (it covers \(coverable.map(\.rawValue).sorted().joined(separator: ", ")))"))
        }
        return .success(CommitmentCoverage(installedProduct: id, installedContract: contractID, product: product.product))
    }
}

public struct CoverageRefusal: Error, Hashable, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

extension InstalledContract {
    /// R-7.6: its products' references to what covers them (`key`: `commitments` or `agreements`),
    /// `id` added to `adding` and taken from `removing`.
    public func referencing(_ id: String, in key: WritableKeyPath<InstalledProduct, [String]?>, adding: Set<String>, removing: Set<String>) -> InstalledContract {
        var copy = self
        copy.root = root.map { p in
            var product = p
            var ids = p[keyPath: key] ?? []
            if adding.contains(p.id), !ids.contains(id) { ids.append(id) }
            if removing.contains(p.id) { ids.removeAll { $0 == id } }
            product[keyPath: key] = ids.isEmpty ? nil : ids.sorted()
            return product
        }
        return copy
    }
}

extension CommitmentContract {
    /// R-9.4: of the installed products `candidates` (ids, read from `installed` by contract id),
    /// those the commitment may cover (`Coverage.of`, its covering rules `coverable`) and does not
    /// cover yet: what a change could add.
    public func coverable(among candidates: [String], installed: [String: InstalledContract], coverable: Set<ProductID>) -> [CommitmentCoverage] {
        let covered = Set(covers.filter(\.active).map(\.installedProduct))
        return candidates.filter { !covered.contains($0) }.compactMap {
            try? Coverage.of($0, installed: installed, customer: customer, coverer: product, coverable: coverable).get()
        }
    }

    /// R-9.4: adds the installed products `adding` (each checked by `Coverage.of` against the
    /// commitment's covering rules, `coverable`) and removes `removing`, as `changeCoverage` says.
    public mutating func changeCoverage(adding: [String], removing: [String], installed: [String: InstalledContract], coverable: Set<ProductID>,
                                        today: Day, reason: String, keepingTrigger: Bool = true) throws(CommitmentError) {
        var added: [CommitmentCoverage] = []
        for (i, id) in adding.enumerated() {
            switch Coverage.of(id, installed: installed, customer: customer, coverer: product, coverable: coverable) {
            case let .success(coverage): added.append(coverage)
            case let .failure(refusal): throw CommitmentError(.notCoverable, refusal.message, field: "add[\(i)]")
            }
        }
        try changeCoverage(adding: added, removing: removing, today: today, reason: reason, keepingTrigger: keepingTrigger)
    }

    /// R-6.3, R-9: a covered product migrated and became `new` (in `contract`, owned by `owner`):
    /// the commitment follows it within its customer (true), and is broken across customers.
    public mutating func productMigrated(_ old: String, to new: String, in contract: String, owner: String, on day: Day) throws(CommitmentError) -> Bool {
        guard owner == customer else {
            try breakByMigration(of: old, to: owner, on: day)
            return false
        }
        follow(old, to: new, in: contract)
        return true
    }
}
