import AsyncHTTPClient
import ConvergentDomain
import ConvergentEngine
import ConvergentServer
import Foundation
import NIOCore
import NIOHTTP1

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
