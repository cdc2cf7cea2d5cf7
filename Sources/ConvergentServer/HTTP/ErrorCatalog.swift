import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import HTTPTypes

/// Every problem code the API answers, with its status, read from the code itself: each
/// context's error codes (all their cases) put through `Problem.from`, the mapping the server
/// uses, and the codes the HTTP layer raises itself. `docs/errors.md` is `markdown` (a test
/// holds them equal; `convergent errors` prints it).
public enum ErrorCatalog {
    public struct Entry: Hashable, Sendable {
        public var status: Int
        public var code: String
        public var context: String
    }

    /// Codes the HTTP layer raises itself (`Problem(...)` in the server target); a test checks
    /// that every one the sources raise is here.
    static let requestCodes: [(HTTPResponse.Status, String)] = [
        (.badRequest, "malformed-json"), (.badRequest, "malformed-form"), (.badRequest, "empty-body"), (.badRequest, "invalid-if-match"),
        (.badRequest, "invalid-idempotency-key"), (.badRequest, "bad-request"), (.notAcceptable, "not-acceptable"),
        (.unauthorized, "invalid-signature"), (.unauthorized, "callbacks-not-configured"), (.unauthorized, "sign-in-refused"),
        (.forbidden, "csrf-token-invalid"),
        (.notFound, "route-not-found"), (.notFound, "unknown-hold"),
        (.methodNotAllowed, "method-not-allowed"),
        (.conflict, "idempotency-key-in-progress"), (.conflict, "idempotent-answer-withheld"),
        (.contentTooLarge, "body-too-large"), (.unsupportedMediaType, "unsupported-media-type"),
        (.unprocessableContent, "missing-field"), (.unprocessableContent, "wrong-type"), (.unprocessableContent, "invalid-value"),
        (.unprocessableContent, "invalid-parameter"), (.unprocessableContent, "missing-parameter"),
        (.unprocessableContent, "idempotency-key-reused"), (.unprocessableContent, "invalid-request"),
        (.unprocessableContent, "clock-move-refused"),
        (.serviceUnavailable, "openapi-unavailable"), (.internalServerError, "internal-error"),
    ]

    public static var entries: [Entry] {
        func entry(_ error: any Error, _ context: String) -> Entry {
            let problem = Problem.from(error)
            return Entry(status: Int(problem.status.code), code: problem.code, context: context)
        }
        var all = requestCodes.map { Entry(status: $0.0.code, code: $0.1, context: "request") }
        all += EngineError.Code.allCases.map { entry(EngineError($0, ""), "engine") }
        all += StoreError.Code.allCases.map { entry(StoreError($0, ""), "storage") }
        all += ConfigurationErrorCode.allCases.map { entry(ConfigurationError($0, ""), "configuration") }
        all += OrderErrorCode.allCases.map { entry(OrderError($0, ""), "orders") }
        all += HoldErrorCode.allCases.map { entry(HoldError($0, ""), "holds") }
        all += PricingErrorCode.allCases.map { entry(PricingError($0, ""), "pricing") }
        all += SetupErrorCode.allCases.map { entry(SetupError($0, ""), "setup") }
        all += CommitmentErrorCode.allCases.map { entry(CommitmentError($0, ""), "commitments") }
        all += ProvisioningErrorCode.allCases.map { entry(ProvisioningError($0, ""), "fulfillment") }
        all += PartyErrorCode.allCases.map { entry(PartyError($0, ""), "parties") }
        all += SubscriptionErrorCode.allCases.map { entry(SubscriptionError($0, ""), "subscriptions") }
        all += PlanMigrationErrorCode.allCases.map { entry(PlanMigrationError($0, ""), "plan migrations") }
        all += NotAllowed.Code.allCases.map { entry(NotAllowed($0, "", reasons: []), "eligibility and plan migrations (every reason in `reasons`)") }
        // R-16.3: the reasons inside `not-eligible`, `plan-not-offered` and `plan-migration-blocked` answers.
        all += (EligibilityCheck.codes + PlanMigrationRules.codes).map {
            Entry(status: 0, code: $0, context: "reason (in `reasons` of not-eligible, plan-not-offered, plan-migration-blocked, and in why-not answers)")
        }
        // Catalog problems come inside a `catalog-invalid` answer, one per problem, with file and line.
        all += CatalogProblem.Code.allCases.map { Entry(status: 422, code: $0.rawValue, context: "catalog file (in `problems` of `catalog-invalid`)") }
        var seen: Set<Entry> = []
        return all.filter { seen.insert($0).inserted }.sorted { ($0.status, $0.code, $0.context) < ($1.status, $1.code, $1.context) }
    }

    /// The list as `docs/errors.md`.
    public static var markdown: String {
        var text = """
        # Problem codes

        Every error is an RFC 9457 problem (`application/problem+json`) with a stable `code`, the
        `field` or `line` at fault where there is one, and this status. This page is generated from
        the code (`swift run convergent errors > docs/errors.md`); a test fails when it is not.

        | status | code | from |
        |---:|---|---|

        """
        for entry in entries { text += "| \(entry.status == 0 ? "—" : String(entry.status)) | `\(entry.code)` | \(entry.context) |\n" }
        return text
    }
}
