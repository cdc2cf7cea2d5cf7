import ArgumentParser
import ConvergentDomain
import ConvergentEngine
import ConvergentServer
import Foundation

/// how provisioning systems are reached — the embedded simulator by default, an HTTP URL
/// per system where given — and when fulfillment retries and gives up.
struct ProvisioningOptions: ParsableArguments {
    @Option(name: .customLong("provisioning-delay"), help: "Simulator: seconds before it answers (default 0).")
    var delay: Double = 0

    @Option(name: .customLong("provisioning-failure-rate"), help: "Simulator: fraction of sends answered with a failure, 0 to 1 (default 0).")
    var failureRate: Double = 0

    @Option(name: .customLong("provisioning-timeout-rate"), help: "Simulator: fraction of sends never answered, 0 to 1 (default 0).")
    var timeoutRate: Double = 0

    @Option(name: .customLong("provisioning-seed"), help: "Simulator: the seed its answers follow (default 1).")
    var seed: UInt64 = 1

    @Option(name: .customLong("provisioning-attempts"), help: "Sends of a message before its order is in jeopardy, 1 to 20 (default 5).")
    var attempts: Int = 5

    @Option(name: .customLong("provisioning-backoff"), help: "Seconds before the second send; each further wait doubles (default 60).")
    var backoff: Double = 60

    @Option(name: .customLong("provisioning-answer-timeout"), help: "Seconds an answer is awaited before the send counts as failed (default 600).")
    var answerTimeout: Double = 600

    @Option(name: .customLong("provisioning-url"),
            help: "SYSTEM=URL: POST that provisioning system's messages to URL, signed with CONVERGENT_PROVISIONING_SECRET (repeatable).")
    var urls: [String] = []

    var secret: String? { ProcessInfo.processInfo.environment["CONVERGENT_PROVISIONING_SECRET"].flatMap { $0.isEmpty ? nil : $0 } }

    func validate() throws {
        for (name, rate) in [("failure-rate", failureRate), ("timeout-rate", timeoutRate)] where !(0...1).contains(rate) {
            throw ValidationError("--provisioning-\(name) is a fraction from 0 to 1, got \(rate)")
        }
        if failureRate + timeoutRate > 1 { throw ValidationError("--provisioning-failure-rate and --provisioning-timeout-rate add up to more than 1") }
        if !(0...86_400).contains(delay) { throw ValidationError("--provisioning-delay is a number of seconds from 0 to 86400") }
        if !(1...20).contains(attempts) { throw ValidationError("--provisioning-attempts is from 1 to 20") }
        if !(0...86_400).contains(backoff) { throw ValidationError("--provisioning-backoff is a number of seconds from 0 to 86400") }
        if !(1...604_800).contains(answerTimeout) { throw ValidationError("--provisioning-answer-timeout is a number of seconds from 1 to 604800") }
        _ = try http.adapters()
    }

    var http: ProvisioningHTTPConfiguration {
        get throws {
            var endpoints: [String: String] = [:]
            for entry in urls {
                guard let eq = entry.firstIndex(of: "="), eq != entry.startIndex else {
                    throw ValidationError("--provisioning-url takes SYSTEM=URL, got '\(entry)'")
                }
                endpoints[String(entry[..<eq])] = String(entry[entry.index(after: eq)...])
            }
            return ProvisioningHTTPConfiguration(endpoints: endpoints, secret: secret)
        }
    }

    var setup: ProvisioningSetup {
        get throws {
            ProvisioningSetup(policy: ProvisioningPolicy(maxAttempts: attempts, backoff: backoff, answerTimeout: answerTimeout),
                              simulator: ProvisioningSimulator(delay: delay, failureRate: failureRate, timeoutRate: timeoutRate, seed: seed),
                              adapters: try http.adapters())
        }
    }
}
