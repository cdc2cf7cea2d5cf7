import Configuration
import ConvergentDomain
import ConvergentEngine
import ConvergentServer
import Foundation

/// Everything `convergent serve` can be told, read through swift-configuration: the command line
/// first, then the environment (`convergent.job.interval` is `--job-interval` and
/// `CONVERGENT_JOB_INTERVAL`), then the defaults. Secrets (the database URL, which may hold a
/// password, the administrator token, the provisioning secret) are read as secrets, so a
/// configuration dump or access log shows them redacted.
public struct AppConfiguration: Sendable {
    /// Which clock the engine reads.
    public enum ClockChoice: Sendable {
        /// The wall clock.
        case system
        /// A clock an administrator moves forward with `POST /api/v1/clock/advance`, starting on a day (today when nil).
        case test(start: Date?)
        /// A clock given by the caller (tests).
        case given(any ConvergentClock)
    }

    /// A SQLite file path or `postgres://user:password@host:port/database` (`convergent.database`).
    public var database: String
    /// SQLite's synchronous mode: FULL (survives power loss) or NORMAL (`convergent.sqlite.synchronous`).
    public var sqliteSynchronous: String
    /// Address, port and the provisioning callback secret.
    public var server: ServerConfiguration
    public var clock: ClockChoice
    /// Load the demo catalog and customers into an empty database (`convergent.demo`, `--no-demo`).
    public var loadDemo: Bool
    /// The administrator's token; when nil one is made at first start and shown once (`convergent.admin.token`).
    public var adminToken: String?
    /// Seconds between two rounds of the job worker; 0 runs none (`convergent.job.interval`).
    public var jobInterval: Double
    /// Seconds a worker's claim on a job lasts (`convergent.job.claim`).
    public var jobClaim: Double
    /// Jobs a worker claims at once (`convergent.job.batch`).
    public var jobBatch: Int
    /// The worker's name in job claims and history.
    public var workerName: String
    /// How provisioning systems are reached, retried and given up on (`convergent.provisioning.*`).
    public var provisioning: ProvisioningSetup
    /// Configuration sessions kept in memory.
    public var sessionCacheCapacity: Int
    /// Seconds a node trusts a token check and the list of catalog versions before reading them
    /// again (`convergent.node.cache`); what another node changes shows within it. 0 reads every time.
    public var nodeCacheSeconds: Double

    public init(database: String = "./convergent.sqlite", sqliteSynchronous: String = "FULL", server: ServerConfiguration = ServerConfiguration(),
                clock: ClockChoice = .system, loadDemo: Bool = true, adminToken: String? = nil, jobInterval: Double = 5, jobClaim: Double = 300,
                jobBatch: Int = 20, workerName: String = AppConfiguration.defaultWorkerName, provisioning: ProvisioningSetup = ProvisioningSetup(),
                sessionCacheCapacity: Int = 512, nodeCacheSeconds: Double = 1) {
        self.database = database
        self.sqliteSynchronous = sqliteSynchronous
        self.server = server
        self.clock = clock
        self.loadDemo = loadDemo
        self.adminToken = adminToken
        self.jobInterval = jobInterval
        self.jobClaim = jobClaim
        self.jobBatch = jobBatch
        self.workerName = workerName
        self.provisioning = provisioning
        self.sessionCacheCapacity = sessionCacheCapacity
        self.nodeCacheSeconds = nodeCacheSeconds
    }

    public static var defaultWorkerName: String { "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)" }

    /// The keys read as secrets.
    public static let secretKeys: Set<String> = ["database", "admin.token", "provisioning.secret"]

    /// A reader over the command line's values (keys without the `convergent.` prefix, as
    /// strings or string lists), then the process environment; `accessReporter` sees every read.
    public static func reader(commandLine: [String: ConfigContent] = [:],
                              environment: [String: String] = ProcessInfo.processInfo.environment,
                              accessReporter: (any AccessReporter)? = nil) -> ConfigReader {
        let secretVariables = Set(secretKeys.map { "CONVERGENT_" + $0.uppercased().replacingOccurrences(of: ".", with: "_") })
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, content) in commandLine {
            values[AbsoluteConfigKey(["convergent"] + key.split(separator: ".").map(String.init))] = ConfigValue(content, isSecret: secretKeys.contains(key))
        }
        return ConfigReader(providers: [
            InMemoryProvider(name: "command line", values: values),
            EnvironmentVariablesProvider(environmentVariables: environment, secretsSpecifier: .specific(secretVariables)),
        ], accessReporter: accessReporter)
    }

    /// Reads and checks every setting; a value that is not what its setting takes is an error
    /// naming the option and the variable, never a silent default.
    public init(reader root: ConfigReader) throws(ConfigurationProblem) {
        let settings = Settings(reader: root.scoped(to: "convergent"))
        let provisioningSecret = settings.text("provisioning.secret")
        self.init(
            database: settings.text("database") ?? "./convergent.sqlite",
            sqliteSynchronous: try settings.choice("sqlite.synchronous", ["FULL", "NORMAL", "EXTRA"], default: "FULL"),
            server: ServerConfiguration(host: settings.text("host") ?? "127.0.0.1",
                                        port: try settings.integer("port", in: 0...65_535, default: 8080),
                                        provisioningSecret: provisioningSecret),
            clock: .system,
            loadDemo: try settings.flag("demo", default: true),
            adminToken: settings.text("admin.token"),
            jobInterval: try settings.number("job.interval", in: 0...86_400, default: 5),
            jobClaim: try settings.number("job.claim", in: 1...86_400, default: 300),
            jobBatch: try settings.integer("job.batch", in: 1...1_000, default: 20),
            nodeCacheSeconds: try settings.number("node.cache", in: 0...60, default: 1)
        )
        switch try settings.choice("clock", ["system", "test"], default: "system") {
        case "test":
            let start = try settings.text("clock.start").map { text throws(ConfigurationProblem) in
                guard let day = Day(text) else { throw settings.problem("clock.start", "should be a date as YYYY-MM-DD, got '\(text)'") }
                return day.startDate
            }
            clock = .test(start: start)
        default:
            if settings.text("clock.start") != nil { throw settings.problem("clock.start", "goes with a test clock (--clock test)") }
        }
        let failureRate = try settings.number("provisioning.failure.rate", in: 0...1, default: 0)
        let timeoutRate = try settings.number("provisioning.timeout.rate", in: 0...1, default: 0)
        if failureRate + timeoutRate > 1 {
            throw settings.problem("provisioning.timeout.rate", "and the failure rate add up to more than 1")
        }
        var endpoints: [String: String] = [:]
        for entry in settings.list("provisioning.url") {
            guard let eq = entry.firstIndex(of: "="), eq != entry.startIndex else {
                throw settings.problem("provisioning.url", "takes SYSTEM=URL, got '\(entry)'")
            }
            endpoints[String(entry[..<eq])] = String(entry[entry.index(after: eq)...])
        }
        let adapters: [String: any ProvisioningAdapter]
        do {
            adapters = try ProvisioningHTTPConfiguration(endpoints: endpoints, secret: provisioningSecret).adapters()
        } catch {
            throw settings.problem("provisioning.url", "\(error)")
        }
        provisioning = ProvisioningSetup(
            policy: ProvisioningPolicy(maxAttempts: try settings.integer("provisioning.attempts", in: 1...20, default: 5),
                                       backoff: try settings.number("provisioning.backoff", in: 0...86_400, default: 60),
                                       answerTimeout: try settings.number("provisioning.answer.timeout", in: 1...604_800, default: 600)),
            simulator: ProvisioningSimulator(delay: try settings.number("provisioning.delay", in: 0...86_400, default: 0),
                                             failureRate: failureRate, timeoutRate: timeoutRate,
                                             seed: UInt64(try settings.integer("provisioning.seed", in: 0...Int.max, default: 1))),
            adapters: adapters)
    }

    /// The engine's clock.
    public var engineClock: any ConvergentClock {
        switch clock {
        case .system: SystemClock()
        case let .test(start): TestClock(start: start)
        case let .given(clock): clock
        }
    }

    /// The database for messages: a PostgreSQL URL without its password.
    public var databaseDisplayName: String {
        guard var url = URLComponents(string: database), url.scheme?.hasPrefix("postgres") == true else { return database }
        if url.password != nil { url.password = "***" }
        return url.string ?? "PostgreSQL"
    }
}

/// A setting whose value is not what it takes: names the command-line option and the variable.
public struct ConfigurationProblem: Error, CustomStringConvertible, Sendable {
    public var key: String
    public var message: String
    public var description: String {
        "--\(key.replacingOccurrences(of: ".", with: "-")) (CONVERGENT_\(key.uppercased().replacingOccurrences(of: ".", with: "_"))) \(message)"
    }
}

/// Typed reads with range checks over the `convergent` scope. Values are read as text and parsed
/// here, so a malformed number is refused rather than replaced by the default.
private struct Settings {
    let reader: ConfigReader

    func text(_ key: String) -> String? {
        reader.string(forKey: ConfigKey(key.split(separator: ".").map(String.init)), isSecret: AppConfiguration.secretKeys.contains(key))
            .flatMap { $0.isEmpty ? nil : $0 }
    }

    func list(_ key: String) -> [String] {
        reader.stringArray(forKey: ConfigKey(key.split(separator: ".").map(String.init))) ?? text(key).map { [$0] } ?? []
    }

    func problem(_ key: String, _ message: String) -> ConfigurationProblem { ConfigurationProblem(key: key, message: message) }

    func number(_ key: String, in range: ClosedRange<Double>, default value: Double) throws(ConfigurationProblem) -> Double {
        guard let text = text(key) else { return value }
        guard let number = Double(text), range.contains(number) else {
            throw problem(key, "is a number from \(Self.plain(range.lowerBound)) to \(Self.plain(range.upperBound)), got '\(text)'")
        }
        return number
    }

    static func plain(_ number: Double) -> String { number == number.rounded() ? String(Int(number)) : String(number) }

    func integer(_ key: String, in range: ClosedRange<Int>, default value: Int) throws(ConfigurationProblem) -> Int {
        guard let text = text(key) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw problem(key, "is a whole number from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
        }
        return number
    }

    func flag(_ key: String, default value: Bool) throws(ConfigurationProblem) -> Bool {
        guard let text = text(key) else { return value }
        switch text.lowercased() {
        case "true", "yes", "1": return true
        case "false", "no", "0": return false
        default: throw problem(key, "is true or false, got '\(text)'")
        }
    }

    func choice(_ key: String, _ allowed: [String], default value: String) throws(ConfigurationProblem) -> String {
        guard let text = text(key) else { return value }
        guard let match = allowed.first(where: { $0.lowercased() == text.lowercased() }) else {
            throw problem(key, "is \(allowed.joined(separator: " or ")), not '\(text)'")
        }
        return match
    }
}
