import Foundation

public struct ProductID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
    public var description: String { rawValue }
    public static func < (a: ProductID, b: ProductID) -> Bool { a.rawValue < b.rawValue }
}

/// R-1.1: commercial components at four levels, functional components, commitments, devices.
public enum ProductKind: String, Hashable, Sendable, Codable, CaseIterable {
    case contract, play, offer, atomicOffer, functional, commitment, device
    /// R-6.3: a service agreement (maintenance, SLA…) covering installed products.
    case agreement

    /// Depth of a commercial level (contract 0 … atomic offer 3); nil for other kinds.
    public var commercialLevel: Int? {
        switch self {
        case .contract: 0
        case .play: 1
        case .offer: 2
        case .atomicOffer: 3
        case .functional, .commitment, .device, .agreement: nil
        }
    }

    public var isCommercial: Bool { commercialLevel != nil }
}

public enum AttributeType: String, Hashable, Sendable, Codable, CaseIterable {
    case text, number, `enum`
}

/// R-1.1: an attribute a product may carry.
public struct AttributeDefinition: Hashable, Sendable, Codable {
    public var name: String
    public var type: AttributeType
    public var values: [String]?
    public var required: Bool
    public var defaultValue: String?
    public var source: SourceRef?

    public init(name: String, type: AttributeType, values: [String]? = nil, required: Bool = false,
                defaultValue: String? = nil, source: SourceRef? = nil) {
        self.name = name
        self.type = type
        self.values = values
        self.required = required
        self.defaultValue = defaultValue
        self.source = source
    }

    /// Why `value` is not acceptable for this attribute, or nil when it is.
    public func problem(with value: String) -> String? {
        switch type {
        case .text:
            return nil
        case .number:
            return Decimal(string: value, locale: Locale(identifier: "en_US_POSIX")) == nil || value.isEmpty
                ? "'\(value)' is not a number" : nil
        case .enum:
            let allowed = values ?? []
            return allowed.contains(value) ? nil : "'\(value)' is not one of \(allowed.joined(separator: ", "))"
        }
    }
}

/// R-1.2: one membership of a bundle tree: parent product → child product.
public struct PackageComponent: Hashable, Sendable, Codable {
    public var product: ProductID
    public var min: Int
    public var max: Int
    /// The selling period of this membership (one product can have different periods in different bundles).
    public var sellingPeriod: Period?
    /// Retirement: from this day on the component is not sold in this bundle.
    public var obsoleteDate: Day?
    public var source: SourceRef?

    public init(product: ProductID, min: Int = 0, max: Int = 1, sellingPeriod: Period? = nil,
                obsoleteDate: Day? = nil, source: SourceRef? = nil) {
        self.product = product
        self.min = min
        self.max = max
        self.sellingPeriod = sellingPeriod
        self.obsoleteDate = obsoleteDate
        self.source = source
    }

    public func isObsolete(on day: Day) -> Bool {
        guard let obsoleteDate else { return false }
        return day >= obsoleteDate
    }
}

public enum PriceType: String, Hashable, Sendable, Codable, CaseIterable {
    case oneTime, recurring
}

/// R-1.8: a one-time or recurring price, as data.
public struct Price: Hashable, Sendable, Codable {
    public var type: PriceType
    public var amount: Decimal
    public var currency: String
    public var source: SourceRef?

    public init(type: PriceType, amount: Decimal, currency: String, source: SourceRef? = nil) {
        self.type = type
        self.amount = amount
        self.currency = currency
        self.source = source
    }
}

public enum PaymentMode: String, Hashable, Sendable, Codable, CaseIterable {
    case prepaid, postpaid
}

public enum AllowedAccountType: String, Hashable, Sendable, Codable, CaseIterable {
    case prepaid, postpaid, either
}

/// R-1.8: one billing account row of a product.
public struct BillingAccountRow: Hashable, Sendable, Codable {
    public var sequence: Int
    public var purpose: String
    public var required: Bool
    public var primary: Bool
    public var allowedType: AllowedAccountType
    public var source: SourceRef?

    public init(sequence: Int, purpose: String, required: Bool = false, primary: Bool = false,
                allowedType: AllowedAccountType = .either, source: SourceRef? = nil) {
        self.sequence = sequence
        self.purpose = purpose
        self.required = required
        self.primary = primary
        self.allowedType = allowedType
        self.source = source
    }
}

/// R-1.8: how a product is billed. The behaviour (defaulting, holds) comes with split billing.
public struct BillingDefinition: Hashable, Sendable, Codable {
    public var accountSelectable: Bool
    public var splitBilling: Bool
    public var rows: [BillingAccountRow]
    public var source: SourceRef?

    public init(accountSelectable: Bool, splitBilling: Bool = false, rows: [BillingAccountRow] = [], source: SourceRef? = nil) {
        self.accountSelectable = accountSelectable
        self.splitBilling = splitBilling
        self.rows = rows
        self.source = source
    }
}

public enum DurationUnit: String, Hashable, Sendable, Codable, CaseIterable {
    case months, days
}

/// R-1.7, R-9: how a commitment's penalty is priced on the day it is broken (`CommitmentPenalty`).
public enum PenaltyRule: String, Hashable, Sendable, Codable, CaseIterable {
    /// The penalty amount, whenever the commitment is broken (also what no rule means).
    case fixed
    /// Remaining months × the monthly recurring fee of the covered products.
    case remainingMonthsTimesMonthlyFee
    /// The penalty amount on the first day, falling linearly to zero on the end date.
    case reducing
    /// A percentage of what the remaining months would cost (remaining months × monthly fee).
    case percentageOfRemaining
}

/// R-1.7: what a commitment product commits to, and what breaking it costs (R-9).
public struct CommitmentTerms: Hashable, Sendable, Codable {
    public var duration: Int
    public var unit: DurationUnit
    public var penaltyAmount: Decimal?
    public var penaltyCurrency: String?
    public var penaltyRule: PenaltyRule?
    /// For `percentageOfRemaining`: the percentage (0–100).
    public var penaltyPercentage: Decimal?
    public var source: SourceRef?

    public init(duration: Int, unit: DurationUnit, penaltyAmount: Decimal? = nil, penaltyCurrency: String? = nil,
                penaltyRule: PenaltyRule? = nil, penaltyPercentage: Decimal? = nil, source: SourceRef? = nil) {
        self.duration = duration
        self.unit = unit
        self.penaltyAmount = penaltyAmount
        self.penaltyCurrency = penaltyCurrency
        self.penaltyRule = penaltyRule
        self.penaltyPercentage = penaltyPercentage
        self.source = source
    }

    /// The rule in force: the one stated, else a fixed amount.
    public var rule: PenaltyRule { penaltyRule ?? .fixed }
}

/// R-6.3: what a service agreement product is (maintenance, SLA…) and the products it may cover.
public struct AgreementTerms: Hashable, Sendable, Codable {
    public var type: String
    public var covers: [ProductID]
    public var source: SourceRef?

    public init(type: String, covers: [ProductID], source: SourceRef? = nil) {
        self.type = type
        self.covers = covers
        self.source = source
    }
}

/// R-1.1: a catalog product of any kind.
public struct Product: Hashable, Sendable, Codable, Identifiable {
    public var id: ProductID
    public var name: String
    public var kind: ProductKind
    public var description: String?
    /// Selling period of the product itself (for contract-level products, which belong to no bundle).
    public var sellingPeriod: Period?
    public var attributes: [AttributeDefinition]
    /// R-1.2: children in the bundle tree.
    public var components: [PackageComponent]
    /// R-1.3: functional components an atomic offer sells.
    public var sells: [ProductID]
    /// The provisioning system that installs a functional component or device (fulfillment).
    public var provisioningSystem: String?
    public var prices: [Price]
    public var billing: BillingDefinition?
    public var commitment: CommitmentTerms?
    /// R-6.3: a service agreement product's terms.
    public var agreement: AgreementTerms?
    /// R-1.5: the eligibility rules that must all hold for the product to be offered.
    public var eligibleWhen: [String]?
    public var source: SourceRef?

    public init(id: ProductID, name: String, kind: ProductKind, description: String? = nil, sellingPeriod: Period? = nil,
                attributes: [AttributeDefinition] = [], components: [PackageComponent] = [], sells: [ProductID] = [],
                provisioningSystem: String? = nil, prices: [Price] = [], billing: BillingDefinition? = nil,
                commitment: CommitmentTerms? = nil, agreement: AgreementTerms? = nil, eligibleWhen: [String]? = nil, source: SourceRef? = nil) {
        self.id = id
        self.name = name
        self.kind = kind
        self.description = description
        self.sellingPeriod = sellingPeriod
        self.attributes = attributes
        self.components = components
        self.sells = sells
        self.provisioningSystem = provisioningSystem
        self.prices = prices
        self.billing = billing
        self.commitment = commitment
        self.agreement = agreement
        self.eligibleWhen = eligibleWhen
        self.source = source
    }

    public func attribute(named name: String) -> AttributeDefinition? {
        attributes.first { $0.name == name }
    }
}
