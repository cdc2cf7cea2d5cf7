import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import ConvergentStore

// The operator's setup (R-10.1 trial periods, R-3.6 reason codes) on the wire, both ways.

/// A setting's wire type: read from a request, written in an answer.
protocol WireSetting: Codable, Sendable {
    associatedtype Setting: OrderSetting
    init(_ setting: Setting)
    var setting: Setting { get }
}

extension WireSetting {
    /// The setting's answer: its wire type, and its version as the ETag (`If-Match` for the next change).
    static func answer(_ stored: Versioned<Setting>) -> (Self, String) {
        (Self(stored.value), "\"\(stored.version)\"")
    }
}

extension Wire.TrialSetup: WireSetting {
    init(_ setting: TrialSetup) {
        self.init(enabled: setting.enabled, defaults: setting.defaults.map { .init(source: $0.source, subSource: $0.subSource, days: $0.days) })
    }

    var setting: TrialSetup {
        TrialSetup(enabled: enabled, defaults: defaults.map { TrialSetup.Default(source: $0.source, subSource: $0.subSource, days: $0.days) })
    }
}

extension Wire.ReasonCodes: WireSetting {
    init(_ setting: ReasonCodes) { self.init(codes: .init(additionalProperties: setting.codes)) }

    var setting: ReasonCodes { ReasonCodes(codes: codes.additionalProperties) }
}

extension Wire.BillingSetup: WireSetting {
    init(_ setting: BillingSetup) {
        self.init(accountForOneTimeCharges: setting.accountForOneTimeCharges, customerSplitBilling: setting.customerSplitBilling,
                  serviceManagementOneTime: setting.serviceManagementOneTime, reuseNewPrepaidAccount: setting.reuseNewPrepaidAccount)
    }

    var setting: BillingSetup {
        BillingSetup(accountForOneTimeCharges: accountForOneTimeCharges, customerSplitBilling: customerSplitBilling,
                     serviceManagementOneTime: serviceManagementOneTime, reuseNewPrepaidAccount: reuseNewPrepaidAccount)
    }
}
