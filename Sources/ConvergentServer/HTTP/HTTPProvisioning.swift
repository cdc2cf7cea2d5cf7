import AsyncHTTPClient
import ConvergentDomain
import ConvergentEngine
import Crypto
import Foundation
import NIOCore
import NIOHTTP1

/// messages and callbacks are signed with HMAC-SHA256 over the exact body bytes, with the
/// secret the operator shares with each provisioning system (`CONVERGENT_PROVISIONING_SECRET`).
/// Header: `X-Convergent-Signature: sha256=<hex>`.
public enum ProvisioningSignature {
    public static let header = "X-Convergent-Signature"

    public static func sign(_ body: some DataProtocol, secret: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + code.map { String(format: "%02x", $0) }.joined()
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

/// What the provisioning HTTP adapters need: the shared secret and each system's URL.
public struct ProvisioningHTTPConfiguration: Sendable {
    /// Provisioning system name → the URL its messages are POSTed to.
    public var endpoints: [String: String]
    /// The HMAC secret for messages and callbacks; callbacks are refused when none is set.
    public var secret: String?
    /// How long one delivery may take before it counts as failed.
    public var deliveryTimeout: TimeInterval

    public init(endpoints: [String: String] = [:], secret: String? = nil, deliveryTimeout: TimeInterval = 10) {
        self.endpoints = endpoints
        self.secret = secret
        self.deliveryTimeout = deliveryTimeout
    }

    /// The adapters for `ProvisioningSetup.adapters`.
    public func adapters() throws -> [String: any ProvisioningAdapter] {
        guard !endpoints.isEmpty else { return [:] }
        guard let secret, !secret.isEmpty else {
            throw ProvisioningDeliveryError("provisioning URLs need CONVERGENT_PROVISIONING_SECRET to sign messages and check callbacks")
        }
        var adapters: [String: any ProvisioningAdapter] = [:]
        for (system, url) in endpoints {
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
                throw ProvisioningDeliveryError("the URL for provisioning system \(system) is not an http(s) URL: \(url)")
            }
            adapters[system] = HTTPProvisioningAdapter(url: url, secret: secret, timeout: deliveryTimeout)
        }
        return adapters
    }
}

public struct ProvisioningDeliveryError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// POSTs each message as JSON to the system's URL, signed; any 2xx means taken. The
/// system answers later through `POST /api/v1/provisioning/callbacks`.
public struct HTTPProvisioningAdapter: ProvisioningAdapter {
    public var url: String
    public var secret: String
    public var timeout: TimeInterval

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    public func deliver(_ envelope: ProvisioningEnvelope) async throws {
        let body = try Self.encoder.encode(envelope)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: ProvisioningSignature.header, value: ProvisioningSignature.sign(body, secret: secret))
        request.headers.add(name: "Idempotency-Key", value: "\(envelope.message)#\(envelope.attempt)")
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
        _ = try? await response.body.collect(upTo: 64 * 1024)
        guard (200..<300).contains(response.status.code) else {
            throw ProvisioningDeliveryError("\(url) answered HTTP \(response.status.code)")
        }
    }
}
