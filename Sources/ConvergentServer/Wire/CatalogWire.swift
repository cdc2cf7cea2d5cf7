import ConvergentAPI
import ConvergentCatalogFiles
import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation

// Catalog versions on the wire.

extension Wire.CatalogVersion {
    init(_ stored: Versioned<StoredCatalogVersion>) {
        let s = stored.value.summary, c = stored.value.catalog
        let status: Wire.CatalogVersion.StatusPayload = switch s.status {
        case .validated: .validated
        case .active: .active
        }
        self.init(version: s.version, effectiveFrom: s.effectiveFrom.description, status: status, activationSequence: s.activationSequence,
                  name: c.header.name, description: c.header.description, products: c.products.count, rules: c.rules.count,
                  uploadedAt: stored.createdAt, updatedAt: stored.updatedAt, recordVersion: stored.version, migrations: c.migrations.count)
    }
}

extension Wire.CatalogFiles {
    init(_ files: [CatalogFile]) {
        self.init(files: files.map { .init(name: $0.name, text: $0.text) })
    }

    /// The files a JSON upload carries.
    var catalogFiles: [CatalogFile] { files.map { CatalogFile(name: $0.name, text: $0.text) } }
}

extension Wire.CatalogValidation {
    init(_ validation: CatalogFiles.Validation) {
        self.init(valid: validation.isValid, version: validation.catalog?.header.version, problems: validation.problems.map(Wire.ProblemItem.init))
    }
}

extension Wire.ProblemItem {
    init(_ problem: CatalogProblem) {
        self.init(code: problem.code.rawValue, message: problem.message, path: problem.path, file: problem.file, line: problem.line)
    }
}

extension Wire.CatalogDiff {
    init(_ diff: CatalogDiff) throws {
        self.init(from: diff.from, to: diff.to, headerChanges: diff.headerChanges,
                  entries: try diff.entries.map { .init(change: try sameCase($0.change), element: $0.element, id: $0.id, fields: $0.fields) })
    }
}

extension Wire.ProductList {
    init(_ list: CatalogLibrary.ProductList) throws {
        self.init(catalogVersion: list.catalogVersion, date: list.date.description, items: try list.items.map {
            Wire.ProductSummary(id: $0.id.rawValue, name: $0.name, kind: try sameCase($0.kind), selling: try Wire.SellingInfo($0.selling),
                                memberOf: try $0.memberOf.map(Wire.Membership.init))
        })
    }
}

extension Wire.Membership {
    init(_ membership: CatalogLibrary.MembershipView) throws {
        self.init(parent: membership.parent.rawValue, min: membership.min, max: membership.max, selling: try Wire.SellingInfo(membership.selling))
    }
}

extension Wire.ProductDetail {
    init(_ detail: CatalogLibrary.ProductDetail) throws {
        self.init(catalogVersion: detail.catalogVersion, date: detail.date.description, product: try Wire.CatalogProduct(detail.product),
                  selling: try Wire.SellingInfo(detail.selling), memberOf: try detail.memberOf.map(Wire.Membership.init),
                  components: try detail.components.map {
                      Wire.ComponentSummary(product: $0.product.rawValue, name: $0.name, kind: try sameCase($0.kind), min: $0.min, max: $0.max,
                                            selling: try Wire.SellingInfo($0.selling))
                  },
                  rules: try detail.rules.map(Wire.CatalogRule.init),
                  migrationActions: try detail.migrationActions.map { try Wire.CatalogMigrationAction($0, on: detail.date) })
    }
}

extension Wire.CatalogMigrationAction {
    init(_ action: MigrationAction, on day: Day) throws {
        self.init(id: action.id, name: action.name, kind: try sameCase(action.kind), visibility: try sameCase(action.visibility),
                  source: action.source.rawValue, target: action.target.rawValue,
                  activePeriod: action.activePeriod.map { .init(start: $0.start?.description, end: $0.end?.description) },
                  activeOnDate: action.isActive(on: day),
                  eligibility: action.eligibility.map { .init(customerKinds: $0.customerKinds, roles: $0.roles) },
                  script: action.script, functional: action.functional.map { .init(source: $0.source.rawValue, target: $0.target?.rawValue) })
    }
}

extension Wire.CatalogProduct {
    init(_ p: Product) throws {
        self.init(id: p.id.rawValue, name: p.name, kind: try sameCase(p.kind), description: p.description,
                  sellingPeriod: p.sellingPeriod.map { .init(start: $0.start?.description, end: $0.end?.description) },
                  attributes: try p.attributes.map {
                      .init(name: $0.name, _type: try sameCase($0.type), values: $0.values, required: $0.required, defaultValue: $0.defaultValue)
                  },
                  components: p.components.map {
                      .init(product: $0.product.rawValue, min: $0.min, max: $0.max,
                            sellingPeriod: $0.sellingPeriod.map { .init(start: $0.start?.description, end: $0.end?.description) },
                            obsoleteDate: $0.obsoleteDate?.description)
                  },
                  sells: p.sells.map(\.rawValue), provisioningSystem: p.provisioningSystem,
                  prices: try p.prices.map { .init(_type: try sameCase($0.type), amount: $0.amount.wire, currency: $0.currency) },
                  billing: try p.billing.map { billing in
                      .init(accountSelectable: billing.accountSelectable, splitBilling: billing.splitBilling, rows: try billing.rows.map {
                          .init(sequence: $0.sequence, purpose: $0.purpose, required: $0.required, primary: $0.primary, allowedType: try sameCase($0.allowedType))
                      })
                  },
                  commitment: try p.commitment.map {
                      .init(duration: $0.duration, unit: try sameCase($0.unit), penaltyAmount: $0.penaltyAmount?.wire, penaltyCurrency: $0.penaltyCurrency,
                            penaltyRule: try $0.penaltyRule.map { try sameCase($0) }, penaltyPercentage: $0.penaltyPercentage?.wire)
                  },
                  agreement: p.agreement.map { .init(_type: $0.type, covers: $0.covers.map(\.rawValue)) })
    }
}

extension Wire.CatalogRule {
    init(_ rule: ConfigurationRule) throws {
        var wire = Wire.CatalogRule(id: rule.id, kind: try sameCase(Kind(rawValue: rule.kind.name)), severity: try sameCase(rule.severity), message: rule.message,
                                    activePeriod: rule.activePeriod.map { .init(start: $0.start?.description, end: $0.end?.description) })
        switch rule.kind {
        case let .bringsOnCreation(source, target), let .bringsAndRemoves(source, target):
            wire.source = source.rawValue
            wire.target = target.rawValue
        case let .commercialPrerequisite(required, dependent):
            wire.required = required.rawValue
            wire.dependent = dependent.rawValue
        case let .reliesOn(source, target, scope):
            wire.source = source.rawValue
            wire.target = target.rawValue
            wire.scope = try sameCase(scope)
        case let .exclusion(first, second):
            wire.first = first.rawValue
            wire.second = second.rawValue
        case let .cardinality(product, min, max):
            wire.product = product.rawValue
            wire.min = min
            wire.max = max
        case let .commitmentTrigger(source, commitment):
            wire.source = source.rawValue
            wire.commitment = commitment.rawValue
        case let .commitmentCoverage(commitment, covers):
            wire.commitment = commitment.rawValue
            wire.covers = covers.map(\.rawValue)
        }
        self = wire
    }

    /// A rule's kind is named by `RuleKind.name`.
    struct Kind: RawRepresentable { var rawValue: String }
}

extension Wire.BundleView {
    init(_ view: CatalogLibrary.BundleView) throws {
        self.init(catalogVersion: view.catalogVersion, date: view.date.description, bundle: try Wire.BundleNode(view.bundle))
    }
}

extension Wire.BundleNode {
    init(_ node: CatalogLibrary.BundleNode) throws {
        self.init(product: node.product.rawValue, name: node.name, kind: try sameCase(node.kind), min: node.min, max: node.max,
                  selling: try Wire.SellingInfo(node.selling), sells: node.sells.map(\.rawValue), components: try node.components.map(Wire.BundleNode.init))
    }
}

// subscription types, definitions and billing term schemes.

extension Wire.SubscriptionType {
    init(_ t: SubscriptionType) {
        self.init(id: t.id, name: t.name, description: t.description, services: t.services.map(\.rawValue),
                  installedItems: t.installedItems.map(\.rawValue), distributors: t.distributors, billingTermSchemes: t.billingTermSchemes)
    }
}

extension Wire.SubscriptionTypeList {
    init(_ list: CatalogLibrary.SubscriptionTypeList) throws {
        self.init(catalogVersion: list.catalogVersion, date: list.date.description, items: list.items.map(Wire.SubscriptionType.init),
                  nextCursor: list.nextCursor)
    }
}

extension Wire.SubscriptionTypeDetail {
    init(_ detail: CatalogLibrary.SubscriptionTypeDetail) throws {
        let day = detail.date
        self.init(catalogVersion: detail.catalogVersion, date: day.description, subscriptionType: Wire.SubscriptionType(detail.type),
                  definitions: try detail.definitions.map { d in
                      Wire.SubscriptionDefinition(id: d.id, name: d.name, subscriptionType: d.subscriptionType, activePeriod: d.activePeriod.map { .init(start: $0.start?.description, end: $0.end?.description) },
                                                  inForce: d.isActive(on: day), services: d.services.map { .init(min: $0.min, max: $0.max) },
                                                  installedItems: d.installedItems.map { .init(min: $0.min, max: $0.max) },
                                                  rules: try d.rules.map { r in
                                                      Wire.SubscriptionRule(id: r.id, subject: try sameCase(r.subject), product: r.product.rawValue,
                                                                            perDistributor: r.perDistributor, requires: r.requires.map(\.rawValue),
                                                                            excludes: r.excludes.map(\.rawValue), max: r.max, message: r.message)
                                                  })
                  },
                  billingTermSchemes: try detail.billingTermSchemes.map { try Wire.BillingTermScheme($0, on: day) })
    }
}

extension Wire.BillingTermSchemeDetail {
    init(_ detail: CatalogLibrary.BillingTermSchemeDetail) throws {
        self.init(catalogVersion: detail.catalogVersion, date: detail.date.description, scheme: try Wire.BillingTermScheme(detail.scheme, on: detail.date),
                  subscriptionTypes: detail.subscriptionTypes)
    }
}

extension Wire.BillingTermScheme {
    /// The scheme, its definitions marked in force or not on `day`.
    init(_ s: BillingTermScheme, on day: Day) throws {
        let inForce = s.definition(on: day)?.id
        self.init(id: s.id, name: s.name, description: s.description, frequencies: try s.frequencies.map { try sameCase($0) },
                  bindingPeriods: s.bindingPeriods, pricePlans: s.pricePlans, services: s.services.map(\.rawValue),
                  restingExtendsBinding: s.restingExtendsBinding, definitions: try s.definitions.map { d in
                      Wire.BillingTermDefinition(id: d.id, activePeriod: d.activePeriod.map { .init(start: $0.start?.description, end: $0.end?.description) }, inForce: d.id == inForce,
                                                 frequencies: try d.frequencies?.map { try sameCase($0) }, bindingPeriods: d.bindingPeriods,
                                                 resting: d.resting.map { .init(maxDays: $0.maxDays, maxTimesPerYear: $0.maxTimesPerYear) },
                                                 activation: d.activation.map {
                                                     .init(installedItemOnEachDistributor: $0.installedItemOnEachDistributor,
                                                           maxUnsettledBillAgeDays: $0.maxUnsettledBillAgeDays)
                                                 })
                  })
    }
}
