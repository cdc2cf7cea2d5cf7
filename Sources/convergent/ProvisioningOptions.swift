import ArgumentParser
import Configuration

/// how provisioning systems are reached — the embedded simulator by default, an HTTP URL
/// per system where given — and when fulfillment retries and gives up. Each option is also an
/// environment variable; `AppConfiguration` reads and checks them.
struct ProvisioningOptions: ParsableArguments {
    @Option(name: .customLong("provisioning-delay"), help: "Simulator: seconds before it answers (default 0; env CONVERGENT_PROVISIONING_DELAY).")
    var delay: String?

    @Option(name: .customLong("provisioning-failure-rate"), help: "Simulator: fraction of sends answered with a failure, 0 to 1 (default 0).")
    var failureRate: String?

    @Option(name: .customLong("provisioning-timeout-rate"), help: "Simulator: fraction of sends never answered, 0 to 1 (default 0).")
    var timeoutRate: String?

    @Option(name: .customLong("provisioning-seed"), help: "Simulator: the seed its answers follow (default 1).")
    var seed: String?

    @Option(name: .customLong("provisioning-attempts"), help: "Sends of a message before its order is in jeopardy, 1 to 20 (default 5).")
    var attempts: String?

    @Option(name: .customLong("provisioning-backoff"), help: "Seconds before the second send; each further wait doubles (default 60).")
    var backoff: String?

    @Option(name: .customLong("provisioning-answer-timeout"), help: "Seconds an answer is awaited before the send counts as failed (default 600).")
    var answerTimeout: String?

    @Option(name: .customLong("provisioning-url"),
            help: "SYSTEM=URL: POST that provisioning system's messages to URL, signed with CONVERGENT_PROVISIONING_SECRET (repeatable).")
    var urls: [String] = []

    /// The given options, as configuration keys.
    var values: [String: ConfigContent] {
        var values = given([
            "provisioning.delay": delay, "provisioning.failure.rate": failureRate, "provisioning.timeout.rate": timeoutRate,
            "provisioning.seed": seed, "provisioning.attempts": attempts, "provisioning.backoff": backoff,
            "provisioning.answer.timeout": answerTimeout,
        ])
        if !urls.isEmpty { values["provisioning.url"] = .stringArray(urls) }
        return values
    }
}

/// The options that were given on the command line, as configuration values.
func given(_ options: [String: String?]) -> [String: ConfigContent] {
    options.compactMapValues { $0.map(ConfigContent.string) }
}
