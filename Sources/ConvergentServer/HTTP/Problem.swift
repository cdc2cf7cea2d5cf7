import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation
import Hummingbird
import Logging
import NIOCore
import OpenAPIRuntime

/// RFC 9457 problem details with a stable `code`, and the field or line at fault.
public struct Problem: Error, Sendable, Encodable {
    public struct Item: Sendable, Encodable {
        public var code: String
        public var message: String
        public var path: String?
        public var file: String?
        public var line: Int?
    }

    public var status: HTTPResponse.Status
    public var code: String
    public var title: String
    public var detail: String
    public var field: String?
    public var line: Int?
    public var problems: [Item]?
    /// For a 403: the named permission that was missing (R-2.4).
    public var permission: String?
    /// R-16.3: every reason a product, plan or migration is refused, with code, rule and remedy.
    public var reasons: [WhyNot]?

    public init(_ status: HTTPResponse.Status, _ code: String, _ detail: String, field: String? = nil, line: Int? = nil, problems: [Item]? = nil,
                permission: String? = nil) {
        self.status = status
        self.code = code
        title = status.reasonPhrase
        self.detail = detail
        self.field = field
        self.line = line
        self.problems = problems
        self.permission = permission
    }

    enum Keys: String, CodingKey { case type, title, status, detail, code, field, line, problems, permission, reasons }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode("urn:convergent:problem:\(code)", forKey: .type)
        try c.encode(title, forKey: .title)
        try c.encode(status.code, forKey: .status)
        try c.encode(detail, forKey: .detail)
        try c.encode(code, forKey: .code)
        try c.encodeIfPresent(field, forKey: .field)
        try c.encodeIfPresent(line, forKey: .line)
        try c.encodeIfPresent(problems, forKey: .problems)
        try c.encodeIfPresent(permission, forKey: .permission)
        try c.encodeIfPresent(reasons, forKey: .reasons)
    }

    public func response() -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"convergent\"" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Every error a request can meet, as a problem. Unknown errors are a 500 with no detail leaked.
    public static func from(_ error: any Error) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let e as ServerError:
            // From the generated server: a handler's or middleware's own error, a request the
            // contract does not allow (a body that does not decode, a parameter or content type
            // it does not take), or an answer it cannot encode.
            if e.operationInput == nil, e.underlyingError is DecodingError,
               let (name, type) = OpenAPIDocument.operations.invalidQueryParameter(of: e.operationID, in: e.request) {
                return Problem(.unprocessableContent, "invalid-parameter", "\(name) should be \(type == "integer" ? "a whole number" : type == "boolean" ? "true or false" : "a number")", field: name)
            }
            let inner = from(e.underlyingError)
            guard inner.status == .internalServerError, e.httpStatus != .internalServerError else { return inner }
            let code = switch e.httpStatus {
            case .unsupportedMediaType: "unsupported-media-type"
            case .notAcceptable: "not-acceptable"
            case .notFound: "route-not-found"
            default: "bad-request"
            }
            return Problem(e.httpStatus, code, e.causeDescription)
        case let e as EngineError:
            let status: HTTPResponse.Status = switch e.code {
            case .catalogInvalid, .noActiveCatalog, .invalidRequest: .unprocessableContent
            case .catalogVersionExists, .alreadyActive, .clockNotAdjustable: .conflict
            case .notFound, .unknownKind: .notFound
            case .unauthenticated: .unauthorized
            case .forbidden: .forbidden
            }
            let items = e.problems.map { Item(code: $0.code.rawValue, message: $0.message, path: $0.path, file: $0.file, line: $0.line) }
            return Problem(status, e.code.rawValue, e.message, field: e.field, line: e.problems.first?.line, problems: items.isEmpty ? nil : items,
                           permission: e.permission)
        case let e as ConfigurationError:
            let status: HTTPResponse.Status = switch e.code {
            // A later migration builds on it: the state refuses, as for an order (409).
            case .migrationInProgress: .conflict
            case .unknownProduct, .unknownInstance, .duplicateInstance, .notAContract, .notInBundle, .notSellable, .unknownAttribute,
                 .invalidAttribute, .noSuchRule, .outOfScope, .noSuchLink, .invalidPlacement, .removedInstance, .notMigratable,
                 .migrationNotOffered, .suspendedContract, .migrationIntoDisconnected, .targetObsolete, .unknownMigration: .unprocessableContent
            }
            return Problem(status, e.code.rawValue, e.message, field: e.field)
        case let e as NotAllowed:
            let status: HTTPResponse.Status = switch e.code {
            case .notEligible, .planNotOffered: .unprocessableContent
            case .planMigrationBlocked: .conflict
            }
            var problem = Problem(status, e.code.rawValue, e.message, field: e.field)
            problem.reasons = e.reasons
            return problem
        case let e as OrderError: return refusal(e, status(e.code))
        case let e as HoldError: return refusal(e, status(e.code))
        case let e as PricingError: return refusal(e, status(e.code))
        case let e as SetupError: return refusal(e, status(e.code))
        case let e as CommitmentError: return refusal(e, status(e.code))
        case let e as ProvisioningError: return refusal(e, status(e.code))
        case let e as SubscriptionError: return refusal(e, status(e.code))
        case let e as PlanMigrationError: return refusal(e, status(e.code))
        case let e as SubscriptionRefusals:
            // Every rule the request breaks, in `problems`; the first one is the answer's code.
            guard let first = e.refusals.first else { return Problem(.internalServerError, "internal-error", "the server met an unexpected error; it was logged") }
            return Problem(status(first.code), first.code.rawValue, e.description, field: first.field,
                           problems: e.refusals.map { Item(code: $0.code.rawValue, message: $0.message, path: $0.field) })
        case let e as ClockError:
            return Problem(.unprocessableContent, "clock-move-refused", e.message)
        case let e as PartyError:
            return Problem(.unprocessableContent, e.code.rawValue, e.message, field: e.field)
        case let e as StoreError:
            let status: HTTPResponse.Status = switch e.code {
            case .conflict, .duplicate, .invalidTransition: .conflict
            case .notFound: .notFound
            case .unavailable, .invalidConfiguration: .serviceUnavailable
            }
            return Problem(status, e.code.rawValue, e.message)
        case let e as DecodingError:
            return decoding(e)
        case let e as URLEncodedFormError:
            // A console form body that is not a form (keys that do not parse, repeated, not percent-encoded).
            return Problem(.badRequest, "malformed-form", "the form could not be read: \(e.description)")
        case let e as NIOTooManyBytesError:
            return Problem(.contentTooLarge, "body-too-large", e.maxBytes.map { "the request body is larger than \($0) bytes" } ?? "the request body is larger than the server accepts")
        case let e as HTTPError:
            switch e.status {
            case .notFound: return Problem(.notFound, "route-not-found", "no such endpoint; see /openapi.json")
            case .contentTooLarge: return Problem(.contentTooLarge, "body-too-large", "the request body is larger than the server accepts")
            case .methodNotAllowed: return Problem(.methodNotAllowed, "method-not-allowed", "this endpoint does not take that method")
            default: return Problem(e.status, "http-\(e.status.code)", e.body ?? e.status.reasonPhrase)
            }
        default:
            return Problem(.internalServerError, "internal-error", "the server met an unexpected error; it was logged")
        }
    }

    static func refusal<Code>(_ error: Refusal<Code>, _ status: HTTPResponse.Status) -> Problem {
        Problem(status, error.code.rawValue, error.message, field: error.field)
    }

    // One exhaustive switch per context: a new code does not compile until it has a status.

    static func status(_ code: OrderErrorCode) -> HTTPResponse.Status {
        switch code {
        case .illegalTransition, .notEditable, .sessionClosed, .held, .notDue, .alreadyConverted, .linkedOut, .confirmationRequired,
             .migrationInProgress: .conflict
        case .unknownLine, .unknownRow: .notFound
        case .notTopLevel, .notAllowedForCaptureType, .ownerRequired, .ownerFixed, .unknownCustomer, .trialLowered, .nothingToConfigure,
             .installedContractRequired, .duplicateRow, .noRows, .invalidInformation, .invalidTrialDuration, .unknownReasonCode,
             .duplicateCustomer, .soldToFixed, .billingNotAllowed, .unknownBillingRow, .unknownAccount, .unknownComponent, .unknownMigration,
             .commitmentLine, .notOffered, .agreementNotCoverable: .unprocessableContent
        }
    }

    static func status(_ code: HoldErrorCode) -> HTTPResponse.Status {
        switch code {
        case .unknownHold: .notFound
        case .holdNotOverridable, .overrideReasonRequired: .unprocessableContent
        }
    }

    static func status(_ code: PricingErrorCode) -> HTTPResponse.Status {
        switch code {
        case .unknownAdjustment: .notFound
        case .invalidAdjustment: .unprocessableContent
        }
    }

    static func status(_ code: CommitmentErrorCode) -> HTTPResponse.Status {
        switch code {
        case .notActive: .conflict
        case .invalidTerm, .notCoverable, .notCovered, .triggerKept, .nothingToChange, .notInSession, .reasonTooLong: .unprocessableContent
        }
    }

    static func status(_ code: PlanMigrationErrorCode) -> HTTPResponse.Status {
        switch code {
        case .notAtStep: .conflict
        case .noFee, .notAPackage, .invalid: .unprocessableContent
        }
    }

    static func status(_ code: SetupErrorCode) -> HTTPResponse.Status {
        switch code {
        case .invalidTrialSetup, .invalidReasonCodes: .unprocessableContent
        }
    }

    static func status(_ code: ProvisioningErrorCode) -> HTTPResponse.Status {
        switch code {
        case .unknownMessage: .notFound
        case .notInJeopardy: .conflict
        case .unknownAttempt: .unprocessableContent
        }
    }

    static func status(_ code: SubscriptionErrorCode) -> HTTPResponse.Status {
        switch code {
        // What the subscription's state or its pending actions do not allow now.
        case .transitionNotAllowed, .notResting, .notOffered, .stateNotAllowed, .bundleScheduledToChange, .notPending, .conflictsWithPending,
             .changeInProgress: .conflict
        case .backdated, .itemNotOnSubscription, .sameSubscription, .differentAccountsReceivable, .accountsReceivableInactive, .billingTermNotEffective,
             .sourceDefinitionViolated, .notAllowedByType, .targetDefinitionViolated, .definitionViolated, .schemeViolated, .termDefinitionViolated,
             .invalidRestingEnd, .bundleCompositionViolated, .insufficientWallet, .invalidSchedule, .notSchedulable, .invalidPerformedDate,
             .invalidScope, .accountsReceivableNotOwned, .itemCannotMove: .unprocessableContent
        }
    }

    static func decoding(_ error: DecodingError) -> Problem {
        func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            (codingPath + (last.map { [$0] } ?? [])).map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }
                .joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case let .keyNotFound(key, context):
            return Problem(.unprocessableContent, "missing-field", "required field '\(path(context.codingPath, key))' is missing", field: path(context.codingPath, key))
        case let .valueNotFound(_, context):
            return Problem(.unprocessableContent, "missing-field", "field '\(path(context.codingPath))' cannot be null", field: path(context.codingPath))
        case let .typeMismatch(type, context):
            let field = path(context.codingPath)
            return Problem(.unprocessableContent, "wrong-type", field.isEmpty ? "the body should be \(describe(type))" : "field '\(field)' should be \(describe(type))",
                           field: field.isEmpty ? nil : field)
        case let .dataCorrupted(context):
            if context.codingPath.isEmpty {
                return Problem(.badRequest, "malformed-json", "the body is not valid JSON: \(context.underlyingError.map { "\($0)" } ?? context.debugDescription)")
            }
            return Problem(.unprocessableContent, "invalid-value", "field '\(path(context.codingPath))': \(context.debugDescription)", field: path(context.codingPath))
        @unknown default:
            return Problem(.badRequest, "malformed-json", "the body could not be read")
        }
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Double.Type, is Decimal.Type: "a number"
        case is Bool.Type: "true or false"
        default: String(describing: type).contains("Array") ? "a list" : "an object"
        }
    }
}

/// Turns every error thrown below it into a problem response.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Problem.from(error)
            if problem.status == .internalServerError {
                context.logger.error("unexpected error on \(request.method) \(request.uri.path): \(String(reflecting: error))")
            }
            return problem.response()
        }
    }
}
