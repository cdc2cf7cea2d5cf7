import ConvergentDomain
import Crypto
import Foundation
import HTTPTypes
import OpenAPIRuntime
import ConvergentAPI

/// messages and callbacks are signed with HMAC-SHA256 over the exact body bytes, with the
/// secret the operator shares with each provisioning system (`CONVERGENT_PROVISIONING_SECRET`).
/// Header: `X-Convergent-Signature: sha256=<hex>`.
public enum ProvisioningSignature {
    public static let header = "X-Convergent-Signature"

    public static func sign(_ body: some DataProtocol, secret: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + code.hexString
    }

    /// Compares in constant time (CryptoKit's check), so a guess learns nothing from timing.
    public static func isValid(_ signature: String?, body: some DataProtocol, secret: String) -> Bool {
        guard let signature, signature.hasPrefix("sha256="), let code = hexBytes(signature.dropFirst(7)) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: body, using: SymmetricKey(data: Data(secret.utf8)))
    }

    static func hexBytes(_ text: Substring) -> [UInt8]? {
        guard text.count == 64 else { return nil }
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}

/// Checks the signature of a provisioning callback (`answerProvisioningMessage`) over the body
/// exactly as it arrived, before the generated server decodes it: 401 without the shared secret
/// configured, or with a missing or wrong signature.
struct ProvisioningSignatureMiddleware: ServerMiddleware {
    let secret: String?

    func intercept(_ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)) async throws -> (HTTPResponse, HTTPBody?) {
        guard operationID == Operations.AnswerProvisioningMessage.id else { return try await next(request, body, metadata) }
        guard let secret, !secret.isEmpty else {
            throw Problem(.unauthorized, "callbacks-not-configured", "this server takes no provisioning callbacks: set CONVERGENT_PROVISIONING_SECRET")
        }
        let bytes = if let body { try await [UInt8](collecting: body, upTo: Limits.jsonBodyBytes) } else { [UInt8]() }
        guard ProvisioningSignature.isValid(request.headerFields[HTTPField.Name(ProvisioningSignature.header)!], body: bytes, secret: secret) else {
            throw Problem(.unauthorized, "invalid-signature", "the \(ProvisioningSignature.header) header is missing or is not the HMAC-SHA256 of the body",
                          field: ProvisioningSignature.header)
        }
        return try await next(request, bytes.isEmpty ? nil : HTTPBody(bytes), metadata)
    }
}
