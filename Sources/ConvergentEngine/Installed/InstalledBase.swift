import ConvergentDomain
import ConvergentStore
import Foundation

/// Installed contracts as orders read them (R-7.6 first part): by id and by customer.
public struct InstalledBase: Sendable {
    let store: any ConvergentStore

    public func contract(_ id: String, field: String = "installedContract") async throws -> InstalledContract {
        guard let found = try await store.get(InstalledContract.self, id: id) else {
            // an installed product below a contract is not a multilevel contract of its own.
            let top = String(id.prefix { $0 != "." })
            if top != id, let contract = try await store.get(InstalledContract.self, id: top), contract.value.product(id) != nil {
                throw OrderError(.notTopLevel, "\(id) is an installed product inside contract \(top); service the top-level contract \(top)", field: field)
            }
            throw EngineError(.notFound, "no installed contract '\(id)'", field: field)
        }
        return found.value
    }

    /// an installed contract as it was at the end of `day` (UTC), from its history.
    public func contract(_ id: String, asOf day: Day) async throws -> Versioned<InstalledContract> {
        guard let found = try await store.get(InstalledContract.self, id: id, asOf: day.adding(days: 1).startDate.addingTimeInterval(-0.001)) else {
            if try await store.get(InstalledContract.self, id: id) == nil { throw EngineError(.notFound, "no installed contract '\(id)'", field: "id") }
            throw EngineError(.notFound, "installed contract \(id) did not exist yet on \(day)", field: "asOf")
        }
        return found
    }

    /// A page of a customer's installed contracts, by id, after `cursor`; the cursor of the next
    /// page when there is one.
    public func contracts(of customer: String, after cursor: String? = nil, limit: Int) async throws -> (items: [InstalledContract], nextCursor: String?) {
        let found = try await store.all(InstalledContract.self, where: ["customer": customer], after: cursor, limit: limit + 1)
        let page = Array(found.prefix(limit)).map(\.value)
        return (page, found.count > limit ? page.last?.id : nil)
    }
}

extension Engine {
    public var installedBase: InstalledBase { InstalledBase(store: store) }

    /// A setup record (trial periods, reason codes): the stored one, else its empty default at version 0.
    public func setting<S: OrderSetting>(_ type: S.Type) async throws -> Versioned<S> {
        try await store.get(S.self, id: S.settingID) ?? Versioned(value: S.unset, version: 0, createdAt: clock.now(), updatedAt: clock.now())
    }

    /// Replaces a setup record (administrators), checked first; `If-Match` as everywhere (0: none stored yet).
    public func setSetting<S: OrderSetting>(_ setting: S, expectedVersion: Int?, context: ChangeContext) async throws -> Versioned<S> {
        try setting.validate()
        let current = try await store.get(S.self, id: S.settingID)
        if let expectedVersion, expectedVersion != (current?.version ?? 0) {
            throw StoreError(.conflict, "\(S.settingID) is at version \(current?.version ?? 0), not \(expectedVersion)")
        }
        guard let current else { return try await store.insert(setting, context: context) }
        return try await store.update(setting, expectedVersion: current.version, context: context)
    }
}

/// A setup record kept by administrators, stored as a `setting` aggregate under a fixed id.
public protocol OrderSetting: Aggregate {
    static var settingID: String { get }
    /// What applies when nothing was set up.
    static var unset: Self { get }
    func validate() throws(SetupError)
}

extension TrialSetup: OrderSetting {
    public static var settingID: String { id }
    public static var unset: TrialSetup { TrialSetup(enabled: false) }
}

extension BillingSetup: OrderSetting {
    public static var settingID: String { id }
    /// as delivered, every switch is on.
    public static var unset: BillingSetup { BillingSetup() }
}

extension ReasonCodes: OrderSetting {
    public static var settingID: String { id }
    public static var unset: ReasonCodes { ReasonCodes() }
}

/// one installed product as the API shows it: where it sits (Child Of its parent; its
/// children, functional components by Sells), its links in and out, and its status history.
public struct InstalledProductView: Sendable {
    public struct Child: Sendable {
        public var id: String
        public var product: ProductID
        /// `childOf`, or `sells` for a functional component.
        public var relation: String
        public var installedStatus: InstalledStatus
    }

    public struct StatusChange: Sendable {
        public var at: Date
        public var actor: String
        public var reason: String?
        public var version: Int
        public var installedStatus: InstalledStatus?
    }

    public var id: String
    public var installedContract: String
    public var customer: String
    public var product: ProductID
    public var kind: ProductKind?
    public var installedStatus: InstalledStatus
    public var installedOn: Day?
    public var disconnectedOn: Day?
    public var owner: String?
    public var billingAccount: String?
    /// every billing account row paying for it.
    public var billingRows: [InstalledBillingRow]?
    public var distributor: String?
    public var attributes: [String: String]?
    public var childOf: String?
    public var children: [Child]
    public var links: [InstalledLink]
    public var history: [StatusChange]
    /// the commitment contracts covering it.
    public var commitments: [String]?
    /// the service agreements covering it.
    public var agreements: [String]?
    /// on an installed commitment, the commitment contract it stands for and its status.
    public var commitmentContract: String?
    public var commitmentStatus: CommitmentStatus?
    /// on a covered product, the installed commitments of the contracts covering it.
    public var installedCommitments: [String]?
}

extension InstalledBase {
    /// An installed product by id (`<contract>` or `<contract>.<n>`), with its links and history.
    public func product(_ id: String, catalog: CatalogIndex?) async throws -> InstalledProductView {
        let contractID = String(id.prefix { $0 != "." })
        guard let contract = try await store.get(InstalledContract.self, id: contractID)?.value,
              let (component, parent) = contract.product(id) else {
            throw EngineError(.notFound, "no installed product '\(id)'", field: "id")
        }
        var links = (contract.links ?? []).filter { $0.from == id || $0.to == id }
        // Links into it from other contracts: an index lookup (installed_links by target).
        let linking = Set(try await store.everyIndexRow(.installedLinks, where: "to_id", in: [id]).compactMap { $0["contract"] }).subtracting([contract.id])
        for otherID in linking.sorted() {
            guard let other = try await store.get(InstalledContract.self, id: otherID)?.value else { continue }
            links += (other.links ?? []).filter { $0.to == id }
        }
        // Its status changes, as recorded with each contract version that changed it.
        var history: [InstalledProductView.StatusChange] = []
        var after: Int?
        repeat {
            let events = try await store.indexEvents(.installedProducts, subject: id, afterVersion: after, limit: 200)
            history += events.map { .init(at: $0.at, actor: $0.actor, reason: $0.reason, version: $0.version, installedStatus: $0.value.flatMap(InstalledStatus.init)) }
            after = events.count == 200 ? events.last?.version : nil
        } while after != nil
        let children = component.components.map { child in
            InstalledProductView.Child(id: child.id, product: child.product,
                                       relation: catalog?.product(child.product)?.kind == .functional ? "sells" : "childOf",
                                       installedStatus: child.status)
        }
        var status: CommitmentStatus?
        if let commitment = contract.commitmentContract { status = try await store.get(CommitmentContract.self, id: commitment)?.value.status }
        // A covered product's installed commitments, through the contracts it references (one to one).
        let installedCommitments = try await store.get(CommitmentContract.self, ids: component.commitments ?? []).compactMap(\.value.installedCommitment)
        return InstalledProductView(id: id, installedContract: contract.id, customer: contract.customer, product: component.product,
                                    kind: catalog?.product(component.product)?.kind, installedStatus: component.status,
                                    installedOn: component.installedOn, disconnectedOn: component.disconnectedOn,
                                    owner: component.owner ?? contract.customer, billingAccount: component.billingAccount,
                                    billingRows: component.billingRows, distributor: component.distributor, attributes: component.attributes, childOf: parent,
                                    children: children, links: links, history: history, commitments: component.commitments,
                                    agreements: component.agreements,
                                    commitmentContract: contract.commitmentContract,
                                    commitmentStatus: status, installedCommitments: installedCommitments.isEmpty ? nil : installedCommitments.sorted())
    }
}
