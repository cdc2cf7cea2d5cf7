import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation

// The installed base and the customer 360 view on the wire.

extension Wire.InstalledContract {
    init(_ contract: InstalledContract) throws {
        self.init(id: contract.id, customer: contract.customer, product: contract.product.rawValue, status: try sameCase(contract.status),
                  installedOn: contract.installedOn?.description, lastOrder: contract.lastOrder, root: try Wire.InstalledTreeProduct(contract.root),
                  links: try contract.links?.map(Wire.InstalledLink.init), commitmentContract: contract.commitmentContract)
    }
}

extension Wire.InstalledContract {
    /// The contract as it was on a day.
    init(_ contract: Versioned<InstalledContract>) throws { try self.init(contract.value) }
}

extension Wire.InstalledTreeProduct {
    init(_ product: InstalledProduct) throws {
        self.init(id: product.id, product: product.product.rawValue, installedStatus: try sameCase(product.status),
                  attributes: product.attributes.map { .init(additionalProperties: $0) },
                  components: product.components.isEmpty ? nil : try product.components.map(Wire.InstalledTreeProduct.init),
                  installedOn: product.installedOn?.description, disconnectedOn: product.disconnectedOn?.description, owner: product.owner,
                  billingAccount: product.billingAccount, distributor: product.distributor, migratedFrom: product.migratedFrom,
                  migratedTo: product.migratedTo, commitments: product.commitments, agreements: product.agreements,
                  planChange: product.planChange.map { c in
                      .init(migration: c.migration, fromPlan: c.fromPlan, toPlan: c.toPlan, _type: .init(rawValue: c.type.rawValue)!,
                            fee: c.fee.map(Wire.PoolAmount.init), discount: c.discount.map(Wire.PoolAmount.init), waivedBy: c.waivedBy, on: c.on.description)
                  },
                  openPlanMigration: product.openPlanMigration)
    }
}

extension Wire.InstalledLink {
    init(_ link: InstalledLink) throws {
        self.init(from: link.from, to: link.to, status: try sameCase(link.status), installedOn: link.installedOn?.description,
                  disconnectedOn: link.disconnectedOn?.description)
    }
}

extension Wire.InstalledContractPage {
    init(_ page: (items: [InstalledContract], nextCursor: String?)) throws {
        self.init(items: try page.items.map(Wire.InstalledContract.init), nextCursor: page.nextCursor)
    }
}

extension Wire.InstalledProduct {
    init(_ view: InstalledProductView) throws {
        self.init(id: view.id, installedContract: view.installedContract, customer: view.customer, product: view.product.rawValue,
                  kind: view.kind?.rawValue, installedStatus: try sameCase(view.installedStatus), installedOn: view.installedOn?.description,
                  disconnectedOn: view.disconnectedOn?.description, owner: view.owner, billingAccount: view.billingAccount,
                  distributor: view.distributor, attributes: view.attributes.map { .init(additionalProperties: $0) }, childOf: view.childOf,
                  children: try view.children.map {
                      .init(id: $0.id, product: $0.product.rawValue, relation: try sameCase(Relation(rawValue: $0.relation)),
                            installedStatus: try sameCase($0.installedStatus))
                  },
                  links: try view.links.map(Wire.InstalledLink.init),
                  history: try view.history.map {
                      .init(at: $0.at, actor: $0.actor, reason: $0.reason, version: $0.version, installedStatus: try $0.installedStatus.map { try sameCase($0) })
                  },
                  billingRows: view.billingRows?.map { .init(sequence: $0.sequence, purpose: $0.purpose, primary: $0.primary, customer: $0.customer, account: $0.account) },
                  commitments: view.commitments, agreements: view.agreements, commitmentContract: view.commitmentContract,
                  commitmentStatus: try view.commitmentStatus.map { try sameCase($0) }, installedCommitments: view.installedCommitments)
    }

    /// A child's relation is text in the view ("childOf" or "sells").
    struct Relation: RawRepresentable { var rawValue: String }
}

extension Wire.CustomerOverview {
    init(_ overview: CustomerOverview) throws {
        self.init(customer: Wire.Customer(overview.customer, version: nil), version: overview.version,
                  ordersByStatus: .init(additionalProperties: try overview.ordersByStatus.mapValues { try $0.map(Wire.OrderSummary.init) }),
                  installedContracts: try overview.installedContracts.map(Wire.InstalledContract.init),
                  billingAccounts: overview.billingAccounts.map { Wire.BillingAccount($0, version: nil) }, commitments: try overview.commitments.map(Wire.CommitmentContract.init),
                  ordersNextCursor: overview.ordersNextCursor, installedContractsNextCursor: overview.installedContractsNextCursor,
                  commitmentsNextCursor: overview.commitmentsNextCursor)
    }
}

extension Wire.OrderSummary {
    init(_ summary: CustomerOverview.OrderSummary) throws {
        self.init(id: summary.id, orderDate: summary.orderDate.description, captureType: summary.captureType.rawValue, status: try sameCase(summary.status),
                  products: summary.products.map(\.rawValue), relatedInstalledProducts: summary.relatedInstalledProducts, parentID: summary.parentID)
    }
}

extension Engine {
    /// An installed product as the API and the console show it. Without an active catalog it is
    /// shown without kinds and relations.
    func installedProductAnswer(_ id: String) async throws -> Wire.InstalledProduct {
        let active = try? await catalogs.active(on: today)
        let catalog = if let active { await catalogs.index(of: active) } else { CatalogIndex?.none }
        return try Wire.InstalledProduct(try await installedBase.product(id, catalog: catalog))
    }
}
