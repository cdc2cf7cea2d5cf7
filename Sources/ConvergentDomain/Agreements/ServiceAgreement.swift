/// what an order's service agreement line covers: installed products of its customer, by id.
public struct LineAgreement: Hashable, Sendable, Codable {
    public var covers: [String]

    public init(covers: [String]) { self.covers = covers }
}

/// a service agreement's life: Active while it covers something, Ended once nothing is
/// covered any more (its last product migrated to another customer). Ended is final.
public enum AgreementStatus: String, Hashable, Sendable, Codable, CaseIterable {
    case active, ended

    public static let transitions: [AgreementStatus: Set<AgreementStatus>] = [.active: [.ended], .ended: []]
}

/// One product a service agreement covers, the same link a commitment has to what it covers:
/// inactive once the agreement no longer covers it, with the day (`leaving` is not used: an
/// agreement has no daily run to mislead).
public typealias AgreementCoverage = CommitmentCoverage

/// an installed service agreement (maintenance, SLA…): made by fulfilling an order's
/// agreement line, covering installed products of its customer. A migration within the customer
/// keeps a product covered where it goes; to another customer ends the agreement over it.
public struct ServiceAgreement: Hashable, Sendable, Codable, Identifiable {
    /// `SA-<order>-<line>`.
    public var id: String
    public var customer: String
    public var product: ProductID
    public var type: String
    public var order: String
    public var line: Int
    public var covers: [AgreementCoverage]
    public var startsOn: Day
    public private(set) var status: AgreementStatus
    public private(set) var endedOn: Day?
    public private(set) var history: [AgreementStatusChange]

    public init(id: String, customer: String, product: ProductID, type: String, order: String, line: Int, covers: [AgreementCoverage], startsOn: Day) {
        self.id = id
        self.customer = customer
        self.product = product
        self.type = type
        self.order = order
        self.line = line
        self.covers = covers
        self.startsOn = startsOn
        status = .active
        history = [.init(status: .active, on: startsOn, reason: "fulfilled by order \(order)")]
    }

    public static func id(order: String, line: Int) -> String { "SA-\(order)-\(line)" }

    /// a covered product migrated within the customer stays covered where it went.
    public mutating func follow(_ old: String, to new: String, in contract: String) {
        for i in covers.indices where covers[i].installedProduct == old && covers[i].active {
            covers[i].installedProduct = new
            covers[i].installedContract = contract
        }
    }

    /// a covered product migrated to another customer: the agreement no longer covers it
    /// (its link inactive, ended on `day`); with nothing left covered, the agreement ends.
    public mutating func end(over installed: String, movedTo customer: String, on day: Day) {
        guard status == .active, let i = covers.firstIndex(where: { $0.installedProduct == installed && $0.active }) else { return }
        covers[i].active = false
        covers[i].endedOn = day
        history.append(.init(status: status, on: day, reason: "\(covers[i].product) (\(installed)) migrated to another customer, \(customer): no longer covered (R-6.3)"))
        if !covers.contains(where: \.active) {
            status = .ended
            endedOn = day
            history.append(.init(status: .ended, on: day, reason: "nothing left to cover"))
        }
    }
}

/// One entry of a service agreement's history.
public typealias AgreementStatusChange = StatusChange<AgreementStatus>

extension ServiceAgreement {
    /// a covered product migrated and became `new` (in `contract`, owned by `owner`): the
    /// agreement follows it within its customer (true); across customers it no longer covers it.
    public mutating func productMigrated(_ old: String, to new: String, in contract: String, owner: String, on day: Day) -> Bool {
        guard owner == customer else {
            end(over: old, movedTo: owner, on: day)
            return false
        }
        follow(old, to: new, in: contract)
        return true
    }
}

extension Order {
    /// the order's service agreement lines.
    public var agreementLines: [OrderLine] { lines.filter { $0.agreement != nil } }

    /// what an agreement line covers: installed products (given with their installed
    /// contracts) that are active, of the line's customer, and of a product the agreement may cover.
    public mutating func setAgreementCoverage(_ covers: [String], ofLine number: Int, installed: [String: InstalledContract],
                                              catalog: CatalogIndex) throws(OrderError) {
        try requireEditable()
        let line = try line(number)
        guard let terms = catalog.product(line.product)?.agreement else {
            throw OrderError(.agreementNotCoverable, "line \(number) is \(line.product), not a service agreement", field: "line")
        }
        guard !covers.isEmpty else { throw OrderError(.agreementNotCoverable, "name the installed products the agreement covers", field: "covers") }
        for (i, id) in covers.enumerated() {
            if case let .failure(refusal) = Coverage.of(id, installed: installed, customer: line.customer, coverer: line.product, coverable: Set(terms.covers)) {
                throw OrderError(.agreementNotCoverable, refusal.message, field: "covers[\(i)]")
            }
        }
        lines[lines.firstIndex { $0.number == number }!].agreement = LineAgreement(covers: covers.uniqued)
    }
}

extension Array where Element: Hashable {
    /// The values once each, in their first order.
    var uniqued: [Element] {
        var seen: Set<Element> = []
        return filter { seen.insert($0).inserted }
    }
}

extension Fulfillment {
    /// the service agreements an order's agreement lines make when it completes on `day`,
    /// and the covered products in `contracts` (by id, loaded or settled) referencing them.
    /// `existing`: the ids already made (a step run again makes none twice).
    public static func serviceAgreements(of order: Order, contracts: inout [String: InstalledContract], catalog: CatalogIndex,
                                         on day: Day, existing: Set<String>) -> [ServiceAgreement] {
        var made: [ServiceAgreement] = []
        for line in order.agreementLines {
            let id = ServiceAgreement.id(order: order.id, line: line.number)
            guard !existing.contains(id), let terms = catalog.product(line.product)?.agreement else { continue }
            // Still coverable when fulfilled (a product disconnected meanwhile is left out).
            let covers = (line.agreement?.covers ?? []).compactMap { installed in
                try? Coverage.of(installed, installed: contracts, customer: line.customer, coverer: line.product, coverable: Set(terms.covers)).get()
            }
            for coverage in covers {
                contracts[coverage.installedContract] = contracts[coverage.installedContract]?
                    .referencing(id, in: \.agreements, adding: [coverage.installedProduct], removing: [])
            }
            guard !covers.isEmpty else { continue }
            made.append(ServiceAgreement(id: id, customer: line.customer, product: line.product, type: terms.type, order: order.id, line: line.number,
                                         covers: covers, startsOn: day))
        }
        return made
    }
}
