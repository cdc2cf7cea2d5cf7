import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import Foundation
import HTTPTypes

// Request bodies read into wire types, then into the domain's values: the contract decides what
// a request may hold, the domain what it means.

/// A date of a request (`YYYY-MM-DD`), or a 422 `invalid-value` naming the field.
func requestDay(_ text: String?, field: String) throws -> Day? {
    guard let text else { return nil }
    guard let day = Day(text) else {
        throw Problem(.unprocessableContent, "invalid-value", "field '\(field)': expected a date as YYYY-MM-DD, got '\(text)'", field: field)
    }
    return day
}

extension Wire.BillTo {
    func relationship(field: String = "period") throws -> Customer.BillToRelationship {
        Customer.BillToRelationship(payer: payer, period: Period(start: try requestDay(period.start, field: "\(field).start"),
                                                                  end: try requestDay(period.end, field: "\(field).end")))
    }
}

extension Wire.SiteInformation {
    var site: SiteInformation { SiteInformation(address: address, contact: contact) }
}

extension Wire.CustomerOrderInformation {
    /// `field`: where this information sits in the request ("" for a whole body).
    func information(field: String = "") throws -> CustomerOrderInformation {
        let prefix = field.isEmpty ? "" : field + "."
        func billing(_ b: Wire.BillingInformation?) throws -> BillingInformation? {
            try b.map { b in
                BillingInformation(customer: b.customer, contact: b.contact, address: b.address,
                                   paymentMethod: try b.paymentMethod.map { try sameCase($0) },
                                   creditCard: b.creditCard.map { CreditCard(last4: $0.last4, expires: $0.expires) },
                                   account: b.account, newAccount: b.newAccount)
            }
        }
        return CustomerOrderInformation(
            customer: customer, recurringBilling: try billing(recurringBilling), nonrecurringBilling: try billing(nonrecurringBilling),
            shipping: try shipping.map {
                ShippingInformation(customer: $0.customer, contact: $0.contact, address: $0.address,
                                    shipmentDate: try requestDay($0.shipmentDate, field: prefix + "shipping.shipmentDate"))
            },
            site: site.map { SiteInformation(address: $0.address, contact: $0.contact) })
    }
}

/// A required member of a request that the contract leaves optional (its shape depends on
/// another member), or a 422 `missing-field` naming it.
func required<T>(_ value: T?, _ field: String) throws -> T {
    guard let value else { throw Problem(.unprocessableContent, "missing-field", "required field '\(field)' is missing", field: field) }
    return value
}

extension Wire.VerifyRequest {
    var request: VerifyRequest {
        get throws {
            VerifyRequest(catalogVersion: catalogVersion, configuration: try configuration.document(field: "configuration"),
                          operations: try operations?.enumerated().map { try $1.operation(field: "operations[\($0)]") })
        }
    }
}

extension Wire.ConfigurationDocument {
    func document(field: String) throws -> ConfigurationDocument {
        ConfigurationDocument(
            productSellingDate: try requestDay(productSellingDate, field: "\(field).productSellingDate"),
            contracts: try contracts.map { ConfigurationDocument.Contract(customer: $0.value2.customer, root: try $0.value1.component) },
            links: links?.map { ConfigurationDocument.Link(from: $0.from, to: $0.to) },
            migrations: try migrations?.enumerated().map { try $1.migration(field: "\(field).migrations[\($0)]") })
    }
}

extension Wire.Component {
    var component: ConfigurationDocument.Component {
        get throws {
            ConfigurationDocument.Component(id: id, product: ProductID(product), installedStatus: try installedStatus.map { try sameCase($0) },
                                            removed: removed, attributes: attributes?.additionalProperties, broughtBy: broughtBy,
                                            components: try components?.map { try $0.component })
        }
    }
}

extension Wire.Migration {
    func migration(field: String) throws -> ConfigurationMigration {
        func need<T>(_ value: T?, _ key: String) throws -> T { try required(value, "\(field).\(key)") }
        return ConfigurationMigration(
            id: try need(id, "id"), action: try need(action, "action"), name: try need(name, "name"), kind: try sameCase(try need(kind, "kind")),
            component: try need(component, "component"), product: ProductID(try need(product, "product")),
            sourceContract: try need(sourceContract, "sourceContract"), sourceParent: try need(sourceParent, "sourceParent"),
            sourceCustomer: try need(sourceCustomer, "sourceCustomer"), target: try need(target, "target"),
            targetProduct: ProductID(try need(targetProduct, "targetProduct")), targetContract: try need(targetContract, "targetContract"),
            targetParent: try need(targetParent, "targetParent"), targetCustomer: try need(targetCustomer, "targetCustomer"),
            moved: try need(moved, "moved").enumerated().map {
                ConfigurationMigration.Move(instance: try required($1.instance, "\(field).moved[\($0)].instance"),
                                            from: try required($1.from, "\(field).moved[\($0)].from"), position: $1.position)
            },
            removed: try need(removed, "removed"), created: try need(created, "created"), createdContract: createdContract, emptied: emptied,
            script: script, brokenCommitments: brokenCommitments?.map { ProductID($0) })
    }
}

extension Wire.Operation {
    /// The operation the request names, with the members its kind needs (R-4.2, R-6.1). `field`:
    /// where it sits in the request ("" for a console form, whose members are named alone).
    func operation(field: String) throws -> ConfigurationOperation {
        func path(_ key: String) -> String { field.isEmpty ? key : "\(field).\(key)" }
        func need<T>(_ value: T?, _ key: String) throws -> T { try required(value, path(key)) }
        let placements = Dictionary(uniqueKeysWithValues: (self.placements?.additionalProperties ?? [:]).map { (ProductID($0.key), $0.value) })
        switch op {
        case .add:
            return .add(product: ProductID(try need(product, "product")), contract: try need(contract, "contract"), parent: parent, placements: placements)
        case .addInstance: return .addInstance(instance: try need(instance, "instance"), placements: placements)
        case .remove: return .remove(instance: try need(instance, "instance"))
        case .setAttribute: return .setAttribute(instance: try need(instance, "instance"), name: try need(name, "name"), value: try need(value, "value"))
        case .removeAttribute: return .removeAttribute(instance: try need(instance, "instance"), name: try need(name, "name"))
        case .link: return .link(from: try need(from, "from"), to: try need(to, "to"))
        case .unlink: return .unlink(from: try need(from, "from"), to: try need(to, "to"))
        case .migrate:
            let destination: MigrationDestination
            switch MigrationDestination.named(parent: parent, newContract: newContract.map { (ProductID($0.product), $0.customer) }) {
            case let .success(named): destination = named
            case let .failure(refused):
                throw Problem(.unprocessableContent, "invalid-value", "field '\(path("parent"))': \(refused.message)", field: path("parent"))
            }
            return .migrate(instance: try need(instance, "instance"), action: try need(action, "action"), destination: destination)
        case .reverseMigration: return .reverseMigration(migration: try need(migration, "migration"))
        }
    }
}
