import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import Foundation
import HTTPTypes
import Hummingbird

// The operator's setup in the console (administrators change it; agents read it): the
// split-billing switches (R-8.6), trial periods (R-10.1) and reason codes per action (R-3.3),
// each the same record the API's `/setup/…` reads and replaces.

struct SetupPage: Sendable {
    struct Switch: Sendable {
        var name: String
        var code: String
        var label: String
        var on: Bool
    }

    var layout: Layout
    var switches: [Switch]
    var trialEnabled: Bool
    /// One line per default: `source[/subSource] = days`.
    var trialDefaults: String
    /// One line per action: `action: code, code`.
    var reasonCodes: String
    var mayChange: Bool
    var problem: ProblemView?
}

extension Console {
    func registerSetup(on router: Router<AppRequestContext>) {
        router.get("/setup") { request, _ in await page(request) { agent in try await setup(agent, problem: nil) } }
        setupAction(router, "split-billing", SwitchesForm.self) { agent, form in
            _ = try await engine.setSetting(BillingSetup(accountForOneTimeCharges: form.accountForOneTimeCharges == "true",
                                                         customerSplitBilling: form.customerSplitBilling == "true",
                                                         serviceManagementOneTime: form.serviceManagementOneTime == "true",
                                                         reuseNewPrepaidAccount: form.reuseNewPrepaidAccount == "true"),
                                            expectedVersion: nil, context: engine.context(agent.user.id, reason: BillingSetup.settingID))
        }
        setupAction(router, "trial-periods", TrialForm.self) { agent, form in
            _ = try await engine.setSetting(TrialSetup(enabled: form.enabled == "true", defaults: try Self.trialDefaults(form.defaults ?? "")),
                                            expectedVersion: nil, context: engine.context(agent.user.id, reason: TrialSetup.settingID))
        }
        setupAction(router, "reason-codes", ReasonCodesForm.self) { agent, form in
            _ = try await engine.setSetting(ReasonCodes(codes: try Self.reasonCodes(form.codes ?? "")),
                                            expectedVersion: nil, context: engine.context(agent.user.id, reason: ReasonCodes.settingID))
        }
    }

    struct SwitchesForm: Decodable, Sendable {
        var accountForOneTimeCharges: String?
        var customerSplitBilling: String?
        var serviceManagementOneTime: String?
        var reuseNewPrepaidAccount: String?
    }

    struct TrialForm: Decodable, Sendable {
        var enabled: String?
        var defaults: String?
    }

    struct ReasonCodesForm: Decodable, Sendable {
        var codes: String?
    }

    /// A setup form: administrators only; back to the setup page, or the refusal shown there.
    func setupAction<Form: Decodable & Sendable>(_ router: Router<AppRequestContext>, _ path: String, _ form: Form.Type,
                                                 _ act: @escaping @Sendable (Agent, Form) async throws -> Void) {
        router.post(RouterPath("/setup/" + path)) { request, _ in
            await action(request, form, refused: { agent, problem in try await setup(agent, problem: ProblemView(problem)) }) { agent, fields in
                _ = try Self.require(agent, .manageSetup)
                try await act(agent, fields)
                return "/setup"
            }
        }
    }

    func setup(_ agent: Agent, problem: ProblemView?) async throws -> Response {
        _ = try Self.require(agent, .manageCustomers)
        let (billing, _) = Wire.BillingSetup.answer(try await engine.setting(BillingSetup.self))
        let (trial, _) = Wire.TrialSetup.answer(try await engine.setting(TrialSetup.self))
        let (reasons, _) = Wire.ReasonCodes.answer(try await engine.setting(ReasonCodes.self))
        let page = SetupPage(
            layout: Layout(title: "Setup", agent: agent),
            switches: [
                .init(name: "accountForOneTimeCharges", code: "RBTACCNONREC", label: "A billing account may pay one-time charges", on: billing.accountForOneTimeCharges),
                .init(name: "customerSplitBilling", code: "RBTCUSTSPLITBIL", label: "Rows may name accounts of customers paying for the line's customer", on: billing.customerSplitBilling),
                .init(name: "serviceManagementOneTime", code: "RBTSMNONREC", label: "Service-management orders capture nonrecurring billing", on: billing.serviceManagementOneTime),
                .init(name: "reuseNewPrepaidAccount", code: "RBTREUSEPPACC", label: "A new prepaid account may pay for more than one line", on: billing.reuseNewPrepaidAccount),
            ],
            trialEnabled: trial.enabled,
            trialDefaults: trial.defaults.map { "\($0.source)\($0.subSource.map { "/" + $0 } ?? "") = \($0.days)" }.joined(separator: "\n"),
            reasonCodes: reasons.codes.additionalProperties.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.joined(separator: ", "))" }.joined(separator: "\n"),
            mayChange: agent.user.may(.manageSetup), problem: problem)
        return render("setup", page, status: problem.map { HTTPResponse.Status(code: $0.status) } ?? .ok)
    }

    /// `source[/subSource] = days`, one a line.
    static func trialDefaults(_ text: String) throws -> [TrialSetup.Default] {
        try text.split(whereSeparator: \.isNewline).enumerated().compactMap { i, raw in
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty else { return nil }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let days = Int(parts[1]), !parts[0].isEmpty else {
                throw Problem(.unprocessableContent, "invalid-value", "trial defaults line \(i + 1): write source[/subSource] = days", field: "defaults")
            }
            let keys = parts[0].split(separator: "/", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            return TrialSetup.Default(source: keys[0], subSource: keys.count > 1 ? keys[1] : nil, days: days)
        }
    }

    /// `action: code, code`, one a line.
    static func reasonCodes(_ text: String) throws -> [String: [String]] {
        var codes: [String: [String]] = [:]
        for (i, raw) in text.split(whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty else { continue }
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty else {
                throw Problem(.unprocessableContent, "invalid-value", "reason codes line \(i + 1): write action: code, code", field: "codes")
            }
            codes[parts[0]] = parts[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        return codes
    }
}
