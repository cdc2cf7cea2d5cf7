import ConvergentDomain
import ConvergentStore
import Foundation

/// R-12.6, R-14 (seed 003): the daily run that keeps subscriptions which came out of resting
/// and fail their activation conditions deactivated. Each subscription that has rested, is
/// Effective or Not Effective, and fails the conditions of its billing term definition in force
/// (an unsettled bill older than allowed, a distributor without an installed item) is made Not
/// Effective, its Effective services too, saying why; its play, if active, is suspended by a
/// service-management order through fulfillment. Nothing else is touched: a subscription that
/// never rested follows its contract only (`Subscription.following`), and one whose conditions
/// hold again comes back Effective when its play is resumed.
extension Subscriptions {
    public struct ActivationRun: Sendable, Encodable {
        public var day: Day
        /// Subscriptions made Not Effective, with why.
        public var deactivated: [String: String] = [:]
        /// Plays suspended, with the order that suspends each.
        public var suspended: [String: String] = [:]
        /// What could not be done, for an agent.
        public var failed: [String: String] = [:]

        public var summary: String {
            "activation run of \(day): \(deactivated.count) deactivated, \(suspended.count) plays suspended"
                + (failed.isEmpty ? "" : "; failed: " + failed.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; "))
        }
    }

    /// Runs the activation conditions as of `day` (see the extension's comment).
    public func runActivation(asOf day: Day, context: ChangeContext) async throws -> ActivationRun {
        var run = ActivationRun(day: day)
        let catalog = try await catalogs.active(on: day).catalog
        var bills: [String: [Bill]] = [:]
        var seen: Set<String> = []
        for state in [LifecycleState.effective, .notEffective] {
            var cursor: String?
            repeat {
                let page = try await store.all(Subscription.self, filter: RecordFilter(equals: ["state": state.rawValue]), after: cursor, limit: 200)
                // One made Not Effective in the first pass is not taken again in the second.
                for stored in page where stored.value.hasRested && seen.insert(stored.value.id).inserted {
                    let account = stored.value.accountsReceivable
                    if bills[account] == nil { bills[account] = try await unsettledBills(of: account).map(\.value) }
                    guard let failures = stored.value.keptDeactivated(catalog: catalog, bills: bills[account] ?? [], on: day) else { continue }
                    await keepDeactivated(stored, because: failures, on: day, into: &run, context: context)
                }
                cursor = page.count == 200 ? page.last?.value.id : nil
            } while cursor != nil
        }
        return run
    }

    func keepDeactivated(_ stored: Versioned<Subscription>, because failures: [String], on day: Day, into run: inout ActivationRun,
                         context: ChangeContext) async {
        let id = stored.value.id
        let why = "activation conditions fail: \(failures.joined(separator: "; "))"
        do {
            if let deactivated = stored.value.deactivated(on: day, reason: "daily run: \(why)") {
                try await store.commit([try .update(deactivated, expectedVersion: stored.version)], context: context)
                run.deactivated[id] = why
            }
            guard let contract = stored.value.contract, let play = stored.value.installedProduct,
                  try await store.get(InstalledContract.self, id: contract)?.value.product(play)?.component.status == .active else { return }
            let order = try await orders.create(.serviceManagement, header: OrderHeader(soldTo: stored.value.customer), on: day, context: context)
            do {
                try await change(order.value.id, .line(.suspend), contract: contract, play: play, today: day, context: context)
                _ = try await orders.submit(order.value.id, expectedVersion: nil, today: day, context: context)
                run.suspended[play] = order.value.id
            } catch {
                _ = try? await orders.cancel(order.value.id, expectedVersion: nil, context: context)
                throw error
            }
        } catch {
            run.failed[id] = "\(error)"
        }
    }

    /// R-14: today's run, as a job (made once, whichever node asks first), when any subscription
    /// could need it.
    public func scheduleRun(of day: Day, at now: Date) async throws {
        var any = false
        for state in [LifecycleState.effective, .notEffective] where !any {
            any = !(try await store.all(Subscription.self, where: ["state": state.rawValue], limit: 1)).isEmpty
        }
        guard any else { return }
        try await scheduleDailyJob(.subscriptionDay, of: day, at: now, reason: "subscriptions: daily run of \(day)", in: store)
    }
}

/// R-12.6, R-14: the subscriptions' daily run of activation conditions, as a job: one a day (its
/// id is the day), run as of the later of its day and the time it runs.
struct SubscriptionDayJob: JobDefinition {
    struct Parameters: Codable, Sendable { var day: String }
    static let kind = JobKind.subscriptionDay
    static let reason = "subscriptions: daily run of activation conditions"
    let subscriptions: Subscriptions

    static func subject(of parameters: Parameters) -> String { parameters.day }
    static func parameters(fromSubject subject: String) -> Parameters { Parameters(day: subject) }

    func run(_ parameters: Parameters, at now: Date, context: ChangeContext) async throws -> String {
        try await subscriptions.runActivation(asOf: max(Day(parameters.day) ?? Day(now), Day(now)), context: context).summary
    }
}
