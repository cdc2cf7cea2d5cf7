import ArgumentParser
import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation

/// R-13, R-16.3, R-2.4 from the command line: the same decisions and reasons as the API and the
/// console — a package's blockers and plans, why a product, plan or action is not visible, plan
/// migrations listed and moved step by step, and permissions granted. `--as` names the user the
/// command acts as (eligibility and act-for read it).
struct PlansCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plans", abstract: "Package plan migrations and why-not answers (R-13).",
        subcommands: [Options.self, WhyNotCommand.self, List.self, Start.self, Target.self, Waive.self, Confirm.self, Abort.self, Grant.self])

    struct Acting: ParsableArguments {
        @Option(name: .customLong("as"), help: "The user the command acts as (default: the operator at the command line, `cli`, an administrator).")
        var user: String?
    }

    /// Runs `body` with an engine and the acting user; a refusal is printed with every reason and exits 1.
    static func run(_ db: DatabaseOptions, _ acting: Acting, _ body: (Engine, User) async throws -> Void) async throws {
        let engine = try await db.engine()
        defer { Task { try? await engine.store.close() } }
        do {
            // Whoever runs the command holds the database: an administrator, recorded as `cli`.
            var user = User(id: "cli", name: "Command line", role: .administrator)
            if let name = acting.user { user = try await engine.access.user(name).value }
            try await body(engine, user)
            try await engine.store.close()
        } catch let refusal as NotAllowed {
            warn("\(refusal.code.rawValue): \(refusal.message)")
            for reason in refusal.reasons { warn("  " + line(reason)) }
            try? await engine.store.close()
            throw ExitCode(1)
        } catch let error as EngineError {
            warn("\(error.code.rawValue): \(error.message)" + (error.permission.map { " (missing permission \($0))" } ?? ""))
            try? await engine.store.close()
            throw ExitCode(1)
        } catch {
            warn("\(error)")
            try? await engine.store.close()
            throw ExitCode(1)
        }
    }

    static func line(_ r: WhyNot) -> String {
        "\(r.code): \(r.message) — \(r.remedy)" + (r.rule.map { " [rule \($0)]" } ?? "") + (r.action.map { " [\($0)]" } ?? "")
    }

    static func show(_ m: PlanMigration) {
        print("\(m.id) \(m.step.rawValue) \(m.instance) \(m.fromPlan)" + (m.toPlan.map { " → \($0)" } ?? "")
              + (m.decision.map { " (\($0.text); charged: \(m.moneyText))" } ?? "") + (m.order.map { " order \($0)" } ?? ""))
    }

    struct Options: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A package subscription's blockers and every plan, offered or why not, with the pool's decision.")
        @Argument(help: "The installed product (package subscription).") var instance: String
        @OptionGroup var acting: Acting
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await PlansCommand.run(db, acting) { engine, user in
                let options = try await engine.planMigrations.options(instance, user: user, today: engine.today)
                print("\(instance): plan \(options.package.plan.id), \(options.package.component.status.rawValue)")
                print(options.blockers.isEmpty ? "nothing blocks a migration" : "blocked:")
                for reason in options.blockers { print("  " + PlansCommand.line(reason)) }
                for offer in options.plans {
                    print("\(offer.plan.id) (rank \(offer.plan.rank)): \(offer.offered ? "offered" : "not offered")" + (offer.decision.map { " — \($0.text)" } ?? ""))
                    for reason in offer.reasons { print("  " + PlansCommand.line(reason)) }
                }
            }
        }
    }

    struct WhyNotCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "why-not", abstract: "Is a product, plan or migration action visible to a customer, and why not (R-16.3).")
        @Option(help: "Customer id.") var customer: String
        @Option(help: "Product id.") var product: String?
        @Option(help: "Plan id.") var plan: String?
        @Option(help: "Migration action id.") var action: String?
        @Option(help: "With --plan: the package subscription it would replace.") var instance: String?
        @OptionGroup var acting: Acting
        @OptionGroup var db: DatabaseOptions

        func validate() throws {
            guard [product, plan, action].compactMap({ $0 }).count == 1 else { throw ValidationError("give one of --product, --plan, --action") }
        }

        func run() async throws {
            let subject: PlanMigrations.Subject = product.map { .product(ProductID($0)) } ?? plan.map { .plan($0) } ?? .action(action ?? "")
            try await PlansCommand.run(db, acting) { engine, user in
                let answer = try await engine.planMigrations.whyNot(subject, customer: customer, instance: instance, user: user, today: engine.today)
                print("\(answer.subject): \(answer.visible ? "visible" : "not visible") to \(customer)")
                for reason in answer.reasons { print("  " + PlansCommand.line(reason)) }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Plan migrations with their step (open ones resume there).")
        @Option(help: "Only this customer's.") var customer: String?
        @Option(help: "Only at this step.") var step: String?
        @OptionGroup var acting: Acting
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            guard step.map({ PlanMigration.Step(rawValue: $0) != nil }) ?? true else {
                throw ValidationError("--step is one of \(PlanMigration.Step.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            try await PlansCommand.run(db, acting) { engine, _ in
                var cursor: String?
                repeat {
                    let page = try await engine.planMigrations.migrations(customer: customer, step: step.flatMap(PlanMigration.Step.init), after: cursor, limit: 200)
                    page.items.forEach { PlansCommand.show($0.value) }
                    cursor = page.nextCursor
                } while cursor != nil
            }
        }
    }

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start a plan migration of a package subscription (refused with every blocker).")
        @Argument(help: "The installed product (package subscription).") var instance: String
        @OptionGroup var acting: Acting
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await PlansCommand.run(db, acting) { engine, user in
                PlansCommand.show(try await engine.planMigrations.start(instance, user: user, today: engine.today, context: engine.context(user.id)).value)
            }
        }
    }

    struct Target: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Choose the target plan; prints the pool's fee or discount before confirmation.")
        @Argument var migration: String
        @Argument var plan: String
        @OptionGroup var acting: Acting
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await PlansCommand.run(db, acting) { engine, user in
                PlansCommand.show(try await engine.planMigrations.choose(migration, plan: plan, user: user, today: engine.today, expectedVersion: nil,
                                                                         context: engine.context(user.id)).value)
            }
        }
    }

    struct Waive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Waive the break-out fee (needs waive-fees).")
        @Argument var migration: String
        @Option(help: "Why.") var reason: String
        @OptionGroup var acting: Acting
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await PlansCommand.run(db, acting) { engine, user in
                PlansCommand.show(try await engine.planMigrations.waive(migration, reason: reason, user: user, today: engine.today, expectedVersion: nil,
                                                                        context: engine.context(user.id, reason: reason)).value)
            }
        }
    }

    struct Confirm: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Confirm: a change order moves the package to the target plan (fulfilled by `serve` or `jobs run`).")
        @Argument var migration: String
        @OptionGroup var acting: Acting
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await PlansCommand.run(db, acting) { engine, user in
                PlansCommand.show(try await engine.planMigrations.confirm(migration, user: user, today: engine.today, expectedVersion: nil,
                                                                          context: engine.context(user.id)).value)
            }
        }
    }

    struct Abort: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Abort a migration not yet confirmed.")
        @Argument var migration: String
        @Option(help: "Why.") var reason: String?
        @OptionGroup var acting: Acting
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await PlansCommand.run(db, acting) { engine, user in
                PlansCommand.show(try await engine.planMigrations.abort(migration, reason: reason, user: user, today: engine.today, expectedVersion: nil,
                                                                        context: engine.context(user.id, reason: reason)).value)
            }
        }
    }

    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set an agent's named permissions (R-2.4): override-holds, waive-fees, manage-catalog, act-for:<user>.")
        @Argument var user: String
        @Argument var permissions: [String] = []
        @OptionGroup var acting: Acting
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await PlansCommand.run(db, acting) { engine, caller in
                guard caller.may(.manageUsers) else { throw EngineError.missing(.manageUsers, user: caller) }
                let changed = try await engine.access.setPermissions(of: user, to: permissions, expectedVersion: nil, context: engine.context(caller.id))
                print("\(user): " + (changed.value.permissionNames.isEmpty ? "no permission granted" : changed.value.permissionNames.joined(separator: " ")))
            }
        }
    }
}
