import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation

// Orders, their pricing, holds, child orders, fulfillment and
// provisioning messages on the wire.

extension Wire.Order {
    init(_ detail: OrderDetail) throws {
        let o = detail.order
        let h = o.header
        self.init(
            id: o.id, captureType: o.captureType.rawValue, orderDate: o.orderDate.description,
            header: .init(soldTo: h.soldTo, contact: h.contact, relatedCustomers: h.relatedCustomers,
                          productSellingDate: h.productSellingDate?.description, fulfillBy: h.fulfillBy?.description, source: h.source,
                          subSource: h.subSource, trialDays: h.trialDays,
                          customerInformation: try h.customerInformation?.map(Wire.CustomerOrderInformation.init)),
            lines: try o.lines.map(Wire.OrderLine.init), status: try sameCase(o.status), configurationStatus: o.configurationStatus.rawValue,
            version: detail.version, holds: o.holds.map(Wire.OrderHold.init), parentID: o.parentID, sessions: o.sessions,
            children: try o.children.map(Wire.ChildOrder.init), convertedTo: o.convertedTo, convertedFrom: o.convertedFrom,
            adjustments: try o.adjustments.nilIfEmpty?.map(Wire.PriceAdjustment.init),
            links: o.links.nilIfEmpty?.map { Wire.ConfigurationLink(from: $0.from, to: $0.to) },
            bulkRows: o.bulkRows.nilIfEmpty?.map { Wire.BulkRow(number: $0.number, customer: $0.customer, contact: $0.contact, installedContract: $0.installedContract) },
            pricing: try detail.pricing.map(Wire.OrderPricing.init), submittedPricing: try o.submittedPricing.map(Wire.OrderPricing.init),
            relationships: try detail.relationships?.map(Wire.LineRelationship.init),
            sellingStatus: try detail.sellingStatus?.map {
                Wire.ElementSelling(line: $0.line, instance: $0.instance, product: $0.product.rawValue, selling: try Wire.SellingInfo($0.selling))
            },
            completedOn: o.completedOn?.description, trialEndsOn: o.trialEndsOn?.description,
            fulfillment: try o.fulfillment.map(Wire.OrderFulfillment.init), migrations: try o.migrations.nilIfEmpty?.map(Wire.OrderMigration.init),
            provisioningMessages: try detail.provisioningMessages?.map(Wire.ProvisioningMessage.init), nextLineNumber: o.nextLineNumber,
            newAccounts: try o.newAccounts.nilIfEmpty?.map(Wire.NewBillingAccount.init),
            commitmentBreaks: try detail.commitmentBreaks?.map {
                Wire.CommitmentBreak(commitmentContract: $0.commitment, installedProduct: $0.installedProduct, cause: $0.cause, penalty: try Wire.Penalty($0.penalty))
            })
    }
}

extension Wire.NewBillingAccount {
    init(_ account: NewBillingAccount) throws {
        self.init(id: account.id, customer: account.customer, contact: account.contact, _type: try sameCase(account.type), created: account.created)
    }
}

extension API {
    /// An order as a read shows it, on the wire.
    func view(_ order: Versioned<Order>) async throws -> Wire.Order { try Wire.Order(try await engine.orderDetail(order)) }
}

extension Array {
    fileprivate var nilIfEmpty: [Element]? { isEmpty ? nil : self }
}

extension Wire.CustomerOrderInformation {
    init(_ info: CustomerOrderInformation) throws {
        self.init(customer: info.customer, recurringBilling: try info.recurringBilling.map(Wire.BillingInformation.init),
                  nonrecurringBilling: try info.nonrecurringBilling.map(Wire.BillingInformation.init),
                  shipping: info.shipping.map { .init(customer: $0.customer, contact: $0.contact, address: $0.address, shipmentDate: $0.shipmentDate?.description) },
                  site: info.site.map { .init(address: $0.address, contact: $0.contact) })
    }
}

extension Wire.BillingInformation {
    init(_ billing: BillingInformation) throws {
        self.init(address: billing.address, contact: billing.contact, creditCard: billing.creditCard.map { .init(expires: $0.expires, last4: $0.last4) },
                  customer: billing.customer, paymentMethod: try billing.paymentMethod.map { try sameCase($0) },
                  account: billing.account, newAccount: billing.newAccount)
    }
}

extension Wire.OrderLine {
    init(_ line: OrderLine) throws {
        self.init(number: line.number, action: try sameCase(line.action), reason: line.reason, customer: line.customer, product: line.product.rawValue,
                  installedContract: line.installedContract, installedProduct: line.scope, configurationStatus: try sameCase(line.configurationStatus),
                  configuration: try line.configuration.map(Wire.Contract.init), status: try sameCase(line.status), clonedFrom: line.clonedFrom,
                  site: line.site.map { Wire.SiteInformation(address: $0.address, contact: $0.contact) },
                  createdByMigration: line.createdByMigration, emptiedByMigration: line.emptiedByMigration,
                  billingRows: try line.billingRows?.map(Wire.LineBillingRow.init),
                  componentBilling: try line.componentBilling.map { .init(additionalProperties: try $0.mapValues { try $0.map(Wire.LineBillingRow.init) }) },
                  commitment: line.commitment.map { .init(commits: $0.commits, triggeredBy: $0.triggeredBy, covers: $0.covers, chosen: $0.chosen) },
                  commitmentChoices: line.commitmentChoices?.map(\.rawValue), agreement: line.agreement.map { .init(covers: $0.covers) },
                  commitmentChanges: line.commitmentChanges.map { $0.map(Wire.CommitmentChange.init) })
    }
}

extension Wire.LineBillingRow {
    init(_ row: LineBillingRow) throws {
        self.init(sequence: row.sequence, purpose: row.purpose, required: row.required, primary: row.primary, allowedType: try sameCase(row.allowedType),
                  customer: row.customer, contact: row.contact, account: row.account, newAccount: row.newAccount, warning: row.warning)
    }
}

extension Wire.Contract {
    init(_ contract: ConfigurationDocument.Contract) throws {
        self.init(value1: try Wire.Component(contract.root), value2: .init(customer: contract.customer))
    }
}

extension Wire.Component {
    init(_ component: ConfigurationDocument.Component) throws {
        self.init(id: component.id, product: component.product.rawValue, installedStatus: try component.installedStatus.map { try sameCase($0) },
                  removed: component.removed, attributes: component.attributes.map { .init(additionalProperties: $0) },
                  components: try component.components?.map(Wire.Component.init), broughtBy: component.broughtBy)
    }
}

extension Wire.OrderHold {
    init(_ hold: OrderHold) {
        self.init(code: hold.code.rawValue, message: hold.message, resolution: hold.resolution, lines: hold.lines, relatedOrders: hold.relatedOrders,
                  overridable: hold.overridable, details: hold.details, overriddenBy: hold.overriddenBy, overrideReason: hold.overrideReason,
                  overriddenAt: hold.overriddenAt)
    }
}

extension Wire.ChildOrder {
    init(_ child: ChildOrderRef) throws {
        self.init(id: child.id, captureType: child.captureType.rawValue, customer: child.customer, lines: child.lines,
                  products: child.products.map(\.rawValue), installedContract: child.installedContract, contact: child.contact,
                  actions: try child.actions?.map { try sameCase($0) }, status: try child.status.map { try sameCase($0) })
    }
}

extension Wire.PriceAdjustment {
    init(_ adjustment: PriceAdjustment) throws {
        self.init(amount: adjustment.amount.wire, currency: adjustment.currency, id: adjustment.id, line: adjustment.line, reason: adjustment.reason,
                  shareOf: adjustment.shareOf, _type: try sameCase(adjustment.type))
    }
}

extension Wire.OrderPricing {
    init(_ pricing: OrderPricing) throws {
        self.init(lines: try pricing.lines.map { line in
                      Wire.LinePricing(line: line.line, items: try line.items.map {
                          Wire.PricedItem(instance: $0.instance, product: $0.product.rawValue, _type: try sameCase($0.type), amount: $0.amount.wire, currency: $0.currency)
                      }, adjustments: try line.adjustments.map(Wire.PriceAdjustment.init), totals: line.totals.map(Wire.PriceTotals.init))
                  },
                  headerAdjustments: try pricing.headerAdjustments.map(Wire.PriceAdjustment.init), newLines: pricing.newLines.map(Wire.PriceTotals.init),
                  serviceLines: pricing.serviceLines.map(Wire.PriceTotals.init), total: pricing.total.map(Wire.PriceTotals.init))
    }
}

extension Wire.PriceTotals {
    init(_ totals: PriceTotals) {
        self.init(currency: totals.currency, oneTime: totals.oneTime.wire, recurring: totals.recurring.wire)
    }
}

extension Wire.LineRelationship {
    init(_ relationship: LineRelationship) throws {
        self.init(kind: try sameCase(relationship.kind), from: relationship.from, fromProduct: relationship.fromProduct.rawValue,
                  fromLine: relationship.fromLine, to: relationship.to, toProduct: relationship.toProduct?.rawValue, toLine: relationship.toLine,
                  change: try relationship.change.map { try sameCase($0) }, migration: relationship.migration)
    }
}

extension Wire.SellingInfo {
    init(_ selling: SellingInfo) throws {
        self.init(status: try sameCase(selling.status),
                  period: selling.period.map { .init(start: $0.start?.description, end: $0.end?.description) },
                  obsoleteSince: selling.obsoleteSince?.description)
    }
}

extension Wire.OrderFulfillment {
    init(_ fulfillment: OrderFulfillment) throws {
        self.init(waits: try fulfillment.waits?.map { .init(step: try sameCase($0.step), order: $0.order, milestone: try sameCase($0.milestone)) },
                  waitedOnBy: fulfillment.waitedOnBy, jeopardy: fulfillment.jeopardy.map(Wire.Jeopardy.init), startedAt: fulfillment.startedAt,
                  warnings: fulfillment.warnings)
    }
}

extension Wire.OrderMigration {
    init(_ migration: OrderMigration) throws {
        self.init(migration: try Wire.Migration(migration.migration), sourceLine: migration.sourceLine, targetLine: migration.targetLine,
                  sourceInstalledContract: migration.sourceInstalledContract, targetInstalledContract: migration.targetInstalledContract,
                  billedTo: migration.billedTo)
    }
}

extension Wire.Migration {
    init(_ m: ConfigurationMigration) throws {
        self.init(id: m.id, action: m.action, name: m.name, kind: try sameCase(m.kind), component: m.component, product: m.product.rawValue,
                  sourceContract: m.sourceContract, sourceParent: m.sourceParent, sourceCustomer: m.sourceCustomer, target: m.target,
                  targetProduct: m.targetProduct.rawValue, targetContract: m.targetContract, targetParent: m.targetParent,
                  targetCustomer: m.targetCustomer, moved: m.moved.map { .init(instance: $0.instance, from: $0.from, position: $0.position) },
                  removed: m.removed, created: m.created, createdContract: m.createdContract, emptied: m.emptied, script: m.script,
                  brokenCommitments: m.brokenCommitments?.map(\.rawValue))
    }
}

extension Wire.ProvisioningMessage {
    init(_ message: ProvisioningMessage) throws {
        self.init(id: message.id, system: message.system,
                  items: try message.items.map {
                      .init(installedContract: $0.installedContract, installedProduct: $0.installedProduct, product: $0.product.rawValue,
                            action: try sameCase($0.action), device: $0.device, attributes: $0.attributes.map { .init(additionalProperties: $0) },
                            migratedFrom: $0.migratedFrom)
                  },
                  status: try sameCase(message.status), attempts: message.attempts, givesUpAfter: message.givesUpAfter, waiting: message.waiting,
                  sentAt: message.sentAt, answeredAt: message.answeredAt, lastError: message.lastError,
                  answers: message.answers?.map { .init(installedProduct: $0.installedProduct, distributor: $0.distributor) }, resumedBy: message.resumedBy)
    }
}
