import ConvergentAPI
import ConvergentDomain
@testable import ConvergentServer
import ConvergentStore
import Foundation
import HTTPTypes
import Testing

@Suite("R-15.1 wire types made from the contract")
struct WireTests {
    @Test("R-15.5: a history entry's change goes out as the stored JSON Patch, every kind of JSON value included (null, numbers, lists, objects)")
    func patchValues() throws {
        let stored: [JSONPatchOperation] = [
            .init(op: .replace, path: "/a", value: .null), .init(op: .add, path: "/b", value: .int(3)),
            .init(op: .add, path: "/c", value: .double(1.5)), .init(op: .replace, path: "/d", value: .bool(false)),
            .init(op: .add, path: "/e", value: .array([.string("x"), .null])),
            .init(op: .add, path: "/f", value: .object(["g": .object(["h": .int(1)])])), .init(op: .remove, path: "/i"),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let wire = try stored.map(Wire.JSONPatchOperation.init)
        let sent = try JSONValue.parse(try encoder.encode(wire))
        #expect(sent == (try JSONValue.parse(try encoder.encode(stored))))
    }

    /// The domain cases the wire enum lacks.
    func missing<D: RawRepresentable<String> & CaseIterable, W: RawRepresentable<String>>(_: D.Type, _: W.Type) -> [String] {
        D.allCases.filter { W(rawValue: $0.rawValue) == nil }.map { "\(D.self).\($0.rawValue)" }
    }

    @Test("R-1.7: every kind of configuration rule is a kind of the contract's CatalogRule")
    func ruleKinds() {
        let kinds: [RuleKind] = [.bringsOnCreation(source: "A", target: "B"), .bringsAndRemoves(source: "A", target: "B"),
                                 .commercialPrerequisite(required: "A", dependent: "B"), .reliesOn(source: "A", target: "B", scope: .contract),
                                 .exclusion(first: "A", second: "B"), .cardinality(product: "A", min: 0, max: 1),
                                 .commitmentTrigger(source: "A", commitment: "C"), .commitmentCoverage(commitment: "C", covers: ["A"])]
        #expect(kinds.filter { Wire.CatalogRule.KindPayload(rawValue: $0.name) == nil }.map(\.name) == [])
    }

    @Test("R-15.1: every case of every domain enum an answer carries is a case of its wire enum in the contract")
    func enumsCovered() {
        let gaps = missing(OrderStatus.self, Wire.Order.StatusPayload.self) + missing(OrderStatus.self, Wire.ChildOrder.StatusPayload.self)
            + missing(LifecycleState.self, Wire.LifecycleState.self)
            + missing(WalletEntry.Kind.self, Wire.Wallet.ItemsPayloadPayload.KindPayload.self)
            + missing(PendingAction.Status.self, Wire.SubscriptionAction.StatusPayload.self)
            + missing(LineAction.self, Wire.OrderLine.ActionPayload.self) + missing(LineAction.self, Wire.ChildOrder.ActionsPayloadPayload.self)
            + missing(LineConfigurationStatus.self, Wire.OrderLine.ConfigurationStatusPayload.self)
            + missing(LineStatus.self, Wire.OrderLine.StatusPayload.self)
            + missing(InstalledStatus.self, Wire.Component.InstalledStatusPayload.self)
            + missing(PaymentMethod.self, Wire.BillingInformation.PaymentMethodPayload.self)
            + missing(PriceType.self, Wire.PriceAdjustment._TypePayload.self) + missing(PriceType.self, Wire.PricedItem._TypePayload.self)
            + missing(LineRelationship.Kind.self, Wire.LineRelationship.KindPayload.self)
            + missing(LineRelationship.Change.self, Wire.LineRelationship.ChangePayload.self)
            + missing(SellingStatus.self, Wire.SellingInfo.StatusPayload.self)
            + missing(FulfillmentWait.Step.self, Wire.OrderFulfillment.WaitsPayloadPayload.StepPayload.self)
            + missing(FulfillmentWait.Milestone.self, Wire.OrderFulfillment.WaitsPayloadPayload.MilestonePayload.self)
            + missing(MigrationAction.Kind.self, Wire.Migration.KindPayload.self)
            + missing(ProvisioningAction.self, Wire.ProvisioningMessage.ItemsPayloadPayload.ActionPayload.self)
            + missing(ProvisioningMessageStatus.self, Wire.ProvisioningMessage.StatusPayload.self)
            + missing(ConfigurationStatus.self, Wire.VerifyResult.StatusPayload.self) + missing(ConfigurationStatus.self, Wire.Session.StatusPayload.self)
            + missing(ConfigurationStatus.self, Wire.VerificationReport.StatusPayload.self) + missing(ConfigurationStatus.self, Wire.SessionContract.StatusPayload.self)
            + missing(Severity.self, Wire.VerificationMessage.SeverityPayload.self)
            + missing(Severity.self, Wire.InstanceDetail.RulesPayloadPayload.SeverityPayload.self)
            + missing(InstanceRelation.self, Wire.ReportElement.RelationPayload.self)
            + missing(InstalledStatus.self, Wire.ReportElement.InstalledStatusPayload.self)
            + missing(ConfigurationSession.Status.self, Wire.ConfigurationSession.StatusPayload.self)
            + missing(MigrationAction.Kind.self, Wire.PossibleMigration.KindPayload.self)
            + missing(InstalledStatus.self, Wire.InstalledContract.StatusPayload.self)
            + missing(InstalledStatus.self, Wire.InstalledTreeProduct.InstalledStatusPayload.self)
            + missing(InstalledStatus.self, Wire.InstalledLink.StatusPayload.self)
            + missing(InstalledStatus.self, Wire.InstalledProduct.InstalledStatusPayload.self)
            + missing(InstalledStatus.self, Wire.InstalledProduct.ChildrenPayloadPayload.InstalledStatusPayload.self)
            + missing(InstanceRelation.self, Wire.InstalledProduct.ChildrenPayloadPayload.RelationPayload.self)
            + missing(OrderStatus.self, Wire.OrderSummary.StatusPayload.self)
            + missing(CatalogDiff.Change.self, Wire.CatalogDiff.EntriesPayloadPayload.ChangePayload.self)
            + missing(ProductKind.self, Wire.ProductSummary.KindPayload.self) + missing(ProductKind.self, Wire.CatalogProduct.KindPayload.self)
            + missing(ProductKind.self, Wire.ComponentSummary.KindPayload.self) + missing(ProductKind.self, Wire.BundleNode.KindPayload.self)
            + missing(AttributeType.self, Wire.CatalogProduct.AttributesPayloadPayload._TypePayload.self)
            + missing(PriceType.self, Wire.CatalogProduct.PricesPayloadPayload._TypePayload.self)
            + missing(AllowedAccountType.self, Wire.CatalogProduct.BillingPayload.RowsPayloadPayload.AllowedTypePayload.self)
            + missing(DurationUnit.self, Wire.CatalogProduct.CommitmentPayload.UnitPayload.self)
            + missing(PenaltyRule.self, Wire.CatalogProduct.CommitmentPayload.PenaltyRulePayload.self)
            + missing(Severity.self, Wire.CatalogRule.SeverityPayload.self) + missing(RelianceScope.self, Wire.CatalogRule.ScopePayload.self)
            + missing(CatalogVersionStatus.self, Wire.CatalogVersion.StatusPayload.self)
            + missing(JobStatus.self, Wire.Job.StatusPayload.self)
        #expect(gaps.isEmpty, "not in the contract: \(gaps)")
    }

    @Test("R-2.2, R-3.2: a request's dates are read through the contract's wire types; a date that is not one is a 422 naming the field, and nothing is stored")
    func requestDates() async throws {
        let app = try await TestApp.make()
        try await app.run { client in
            let before = try await client.call(.get, "/api/v1/customers/CUST-JANE").json["version"] as? Int
            let billTo = try await client.call(.post, "/api/v1/customers/CUST-JANE/bill-to", json: #"{"payer": "CUST-ACME", "period": {"start": "2026-13-01"}}"#)
            #expect(billTo.status == .unprocessableContent && billTo.code == "invalid-value")
            #expect(billTo.json["field"] as? String == "period.start")
            #expect(try await client.call(.get, "/api/v1/customers/CUST-JANE").json["version"] as? Int == before)
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "simple", "soldTo": "CUST-JANE"}"#)
            let info = try await client.call(.post, "/api/v1/orders/COM000001/information",
                                             json: #"{"customer": "CUST-JANE", "shipping": {"shipmentDate": "tomorrow"}}"#)
            #expect(info.status == .unprocessableContent && info.json["field"] as? String == "shipping.shipmentDate")
            let created = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "simple", "soldTo": "CUST-JANE", "customerInformation": [{"customer": "CUST-JANE", "shipping": {"shipmentDate": "2026-02-30"}}]}"#)
            #expect(created.status == .unprocessableContent && created.json["field"] as? String == "customerInformation[0].shipping.shipmentDate")
        }
    }

    @Test("R-4.2, R-6.1: operations are read through the contract's Operation; what an operation's kind needs is required, with the field named")
    func operations() async throws {
        let app = try await TestApp.make()
        try await app.run { client in
            func verify(_ operation: String) async throws -> Reply {
                try await client.call(.post, "/api/v1/configurations/verify", json: #"{"configuration": {"contracts": []}, "operations": [\#(operation)]}"#)
            }
            let missing = try await verify(#"{"op": "add", "contract": "c1"}"#)
            #expect(missing.status == .unprocessableContent && missing.code == "missing-field" && missing.json["field"] as? String == "operations[0].product")
            let both = try await verify(#"{"op": "migrate", "instance": "i", "action": "a", "parent": "p", "newContract": {"product": "X", "customer": "C"}}"#)
            #expect(both.code == "invalid-value" && both.json["field"] as? String == "operations[0].parent")
            let nowhere = try await verify(#"{"op": "migrate", "instance": "i", "action": "a"}"#)
            #expect(nowhere.code == "invalid-value" && nowhere.json["field"] as? String == "operations[0].parent")
            #expect(try await verify(#"{"op": "explode"}"#).code == "invalid-value")
            let migration = try await client.call(.post, "/api/v1/configurations/verify",
                                                  json: #"{"configuration": {"contracts": [], "migrations": [{"id": "M1"}]}}"#)
            #expect(migration.code == "missing-field" && migration.json["field"] as? String == "configuration.migrations[0].action")
        }
    }
}
