import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import Foundation

// Verification, configuration sessions and the migrations offered in
// them on the wire.

extension Wire.VerifyResult {
    init(_ result: VerifyResult) throws {
        self.init(catalogVersion: result.catalogVersion, status: try sameCase(result.status), question: result.question.map(Wire.PlacementQuestion.init),
                  questionOperation: result.questionOperation, applied: result.applied.map(Wire.AppliedOperation.init),
                  report: try Wire.VerificationReport(result.report), configuration: try Wire.ConfigurationDocument(result.configuration))
    }
}

extension Wire.ConfigurationDocument {
    init(_ document: ConfigurationDocument) throws {
        self.init(productSellingDate: document.productSellingDate?.description, contracts: try document.contracts.map(Wire.Contract.init),
                  links: document.links?.map { Wire.ConfigurationLink(from: $0.from, to: $0.to) },
                  migrations: try document.migrations?.map(Wire.Migration.init))
    }
}

extension Wire.VerificationReport {
    init(_ report: VerificationReport) throws {
        self.init(status: try sameCase(report.status), productSellingDate: report.productSellingDate.description, errorCount: report.errorCount,
                  warningCount: report.warningCount, elements: try report.elements.map(Wire.ReportElement.init),
                  contractMessages: try report.contractMessages.map(Wire.VerificationMessage.init), links: report.links.map(Wire.ReportLink.init))
    }
}

extension Wire.ReportElement {
    init(_ element: VerificationReport.Element) throws {
        self.init(instance: element.instance, product: element.product.rawValue, selling: try Wire.SellingInfo(element.selling),
                  errors: try element.errors.map(Wire.VerificationMessage.init), warnings: try element.warnings.map(Wire.VerificationMessage.init),
                  name: element.name, contract: element.contract, customer: element.customer, parent: element.parent,
                  relation: try element.relation.map { try sameCase($0) }, origin: try sameCase(Origin(rawValue: element.origin)),
                  installedStatus: try element.installedStatus.map { try sameCase($0) }, removed: element.removed,
                  attributes: .init(additionalProperties: element.attributes))
    }

    /// `origin` is text in the report ("new" or "installed").
    struct Origin: RawRepresentable { var rawValue: String }
}

extension Wire.ReportLink {
    init(_ link: VerificationReport.Link) { self.init(from: link.from, to: link.to, rule: link.rule) }
}

extension Wire.VerificationMessage {
    init(_ message: VerificationMessage) throws {
        self.init(contract: message.contract, customer: message.customer, detail: message.detail, instance: message.instance, message: message.message,
                  product: message.product.rawValue, rule: message.rule, severity: try sameCase(message.severity))
    }
}

extension Wire.PlacementQuestion {
    init(_ question: PlacementQuestion) {
        self.init(product: question.product.rawValue, rule: question.rule, message: question.message,
                  candidates: question.candidates.map { .init(instance: $0.instance, product: $0.product.rawValue, via: $0.via.map(\.rawValue)) })
    }
}

extension Wire.AppliedOperation {
    init(_ applied: BatchOutcome.Applied) { self.init(created: applied.created, removed: applied.removed) }
}

extension Wire.Session {
    init(_ view: SessionView) throws {
        let info = view.requestInformation
        self.init(session: try Wire.ConfigurationSession(view.session), version: view.version, status: try sameCase(view.status),
                  outcome: view.outcome.map {
                      Wire.BatchOutcome(applied: $0.applied.map(Wire.AppliedOperation.init), question: $0.question.map(Wire.PlacementQuestion.init),
                                        questionOperation: $0.questionOperation)
                  },
                  report: try Wire.VerificationReport(view.report),
                  requestInformation: .init(order: info.order, captureType: info.captureType.rawValue, productSellingDate: info.productSellingDate.description,
                                            catalogVersion: info.catalogVersion, customers: try info.customers.map {
                                                .init(id: $0.id, kind: try sameCase($0.kind), anonymous: $0.anonymous,
                                                      segment: .init(additionalProperties: $0.segment), attributedAgent: $0.attributedAgent)
                                            }),
                  contracts: try view.contracts.map {
                      Wire.SessionContract(contract: $0.contract, customer: $0.customer, line: $0.line, status: try sameCase($0.status),
                                           products: $0.products.map(\.rawValue), messages: try $0.messages.map(Wire.VerificationMessage.init),
                                           migratingOut: $0.migratingOut.map { .init(additionalProperties: $0) },
                                           migratingIn: $0.migratingIn.map { .init(additionalProperties: $0) })
                  })
    }
}

extension Wire.ConfigurationSession {
    init(_ session: ConfigurationSession) throws {
        self.init(id: session.id, orderID: session.orderID, orderVersion: session.orderVersion, status: try sameCase(session.status),
                  contractLines: .init(additionalProperties: session.contractLines), document: try Wire.ConfigurationDocument(session.document),
                  commitmentChanges: session.commitmentChanges.map { $0.map(Wire.CommitmentChange.init) })
    }
}

extension Wire.CommitmentChange {
    init(_ change: CommitmentChange) {
        self.init(commitment: change.commitment, endsOn: change.endsOn?.description, add: change.add, remove: change.remove,
                  reason: change.reason.isEmpty ? nil : change.reason)
    }
}

extension Wire.InstanceDetail {
    init(_ detail: InstanceDetail) throws {
        self.init(element: try Wire.ReportElement(detail.element), links: detail.links.map(Wire.ReportLink.init),
                  rules: try detail.rules.map {
                      .init(id: $0.id, kind: $0.kind, severity: try sameCase($0.severity), message: $0.message, active: $0.active,
                            activePeriod: $0.activePeriod.map { .init(start: $0.start?.description, end: $0.end?.description) })
                  },
                  linkTargets: detail.linkTargets, migrations: try detail.migrations.map(Wire.PossibleMigration.init),
                  billing: try detail.billing.map {
                      .init(line: $0.line, rows: try $0.rows.map(Wire.LineBillingRow.init), own: $0.own, selectable: $0.selectable,
                            newAccounts: try $0.newAccounts.map(Wire.NewBillingAccount.init))
                  },
                  commitments: try detail.commitments.map {
                      .init(triggers: $0.triggers.map(\.rawValue), coveredBy: $0.coveredBy.map(\.rawValue),
                            contracts: try $0.contracts.map(Wire.CommitmentContract.init))
                  })
    }
}

extension Wire.PossibleMigration {
    init(_ migration: PossibleMigration) throws {
        self.init(action: migration.action, name: migration.name, kind: try sameCase(migration.kind), target: migration.target.rawValue,
                  inSession: migration.inSession.map { .init(contract: $0.contract, customer: $0.customer, parent: $0.parent, parentProduct: $0.parentProduct.rawValue) },
                  newContracts: migration.newContracts.map(\.rawValue))
    }
}
