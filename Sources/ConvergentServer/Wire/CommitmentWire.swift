import ConvergentAPI
import ConvergentDomain
import ConvergentStore
import Foundation

// Commitment contracts and penalties on the wire.

extension Wire.CommitmentContract {
    init(_ stored: Versioned<CommitmentContract>) throws { try self.init(stored.value, version: stored.version) }

    init(_ c: CommitmentContract, version: Int) throws {
        self.init(id: c.id, version: version, customer: c.customer, product: c.product.rawValue,
                  terms: .init(duration: c.terms.duration, unit: try sameCase(c.terms.unit), penaltyRule: try sameCase(c.terms.rule),
                               penaltyAmount: c.terms.penaltyAmount?.wire, penaltyCurrency: c.terms.penaltyCurrency,
                               penaltyPercentage: c.terms.penaltyPercentage?.wire),
                  order: c.order, line: c.line, triggeredBy: c.triggeredBy,
                  covers: c.covers.map {
                      .init(installedProduct: $0.installedProduct, installedContract: $0.installedContract, product: $0.product.rawValue,
                            active: $0.active, endedOn: $0.endedOn?.description, leaving: $0.leaving)
                  },
                  startsOn: c.startsOn.description, endsOn: c.endsOn.description, trialEndsOn: c.trialEndsOn?.description,
                  monthlyFee: c.monthlyFee.wire, currency: c.currency, status: try sameCase(c.status),
                  penalty: try c.penalty.map(Wire.Penalty.init), brokenBy: c.brokenBy,
                  history: try c.history.map { .init(status: try sameCase($0.status), on: $0.on.description, reason: $0.reason) },
                  installedCommitment: c.installedCommitment)
    }
}

extension Wire.Penalty {
    init(_ p: Penalty) throws {
        self.init(amount: p.amount.wire, currency: p.currency, rule: try sameCase(p.rule), on: p.on.description,
                  remainingMonths: p.remainingMonths, insideTrial: p.insideTrial)
    }
}

extension Wire.ServiceAgreement {
    init(_ stored: Versioned<ServiceAgreement>) throws {
        let a = stored.value
        self.init(id: a.id, version: stored.version, customer: a.customer, product: a.product.rawValue, _type: a.type, order: a.order, line: a.line,
                  covers: a.covers.map {
                      .init(installedProduct: $0.installedProduct, installedContract: $0.installedContract, product: $0.product.rawValue,
                            active: $0.active, endedOn: $0.endedOn?.description)
                  },
                  startsOn: a.startsOn.description, status: try sameCase(a.status), endedOn: a.endedOn?.description,
                  history: try a.history.map { .init(status: try sameCase($0.status), on: $0.on.description, reason: $0.reason) })
    }
}
