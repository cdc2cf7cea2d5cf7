import ConvergentStore

extension SQLiteStore {
    /// The schema, one numbered migration at a time. FROZEN: a migration on main is never edited
    /// (`MigrationChecksumTests` holds their SHA-256); a change to the schema is a new migration.
    public static let migrations: [SchemaMigration] = [
        SchemaMigration(1, "aggregates-history-sequences", """
        CREATE TABLE catalog_versions (
            id TEXT PRIMARY KEY NOT NULL,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            status TEXT,
            effective_from TEXT
        );
        CREATE INDEX catalog_versions_status ON catalog_versions (status);
        CREATE INDEX catalog_versions_effective_from ON catalog_versions (effective_from);
        CREATE TABLE customers (
            id TEXT PRIMARY KEY NOT NULL,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            customer_kind TEXT,
            name TEXT
        );
        CREATE INDEX customers_customer_kind ON customers (customer_kind);
        CREATE INDEX customers_name ON customers (name);
        CREATE TABLE billing_accounts (
            id TEXT PRIMARY KEY NOT NULL,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            owner TEXT,
            status TEXT
        );
        CREATE INDEX billing_accounts_owner ON billing_accounts (owner);
        CREATE INDEX billing_accounts_status ON billing_accounts (status);
        CREATE TABLE users (
            id TEXT PRIMARY KEY NOT NULL,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            role TEXT
        );
        CREATE INDEX users_role ON users (role);
        CREATE TABLE api_tokens (
            id TEXT PRIMARY KEY NOT NULL,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            user_id TEXT,
            digest TEXT
        );
        CREATE INDEX api_tokens_user_id ON api_tokens (user_id);
        CREATE INDEX api_tokens_digest ON api_tokens (digest);
        CREATE TABLE history (
            sequence INTEGER PRIMARY KEY AUTOINCREMENT,
            at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            aggregate_kind TEXT NOT NULL,
            aggregate_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            action TEXT NOT NULL,
            reason TEXT,
            data TEXT NOT NULL
        );
        CREATE TRIGGER history_no_update BEFORE UPDATE ON history BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
        CREATE TRIGGER history_no_delete BEFORE DELETE ON history BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
        CREATE TABLE sequences (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL);
        """),
        SchemaMigration(2, "history-lookup", """
        CREATE INDEX history_aggregate ON history (aggregate_kind, aggregate_id, sequence);
        """),
        SchemaMigration(3, "orders-idempotency-keys", """
        CREATE TABLE orders (
            id TEXT PRIMARY KEY NOT NULL,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            capture_type TEXT,
            status TEXT,
            sold_to TEXT,
            order_date TEXT
        );
        CREATE INDEX orders_capture_type ON orders (capture_type);
        CREATE INDEX orders_status ON orders (status);
        CREATE INDEX orders_sold_to ON orders (sold_to);
        CREATE INDEX orders_order_date ON orders (order_date);
        CREATE TABLE idempotency_keys (
            actor TEXT NOT NULL,
            key TEXT NOT NULL,
            request TEXT NOT NULL,
            status INTEGER NOT NULL,
            content_type TEXT,
            body BLOB NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (actor, key)
        );
        """),
        SchemaMigration(4, "configuration-sessions", """
        CREATE TABLE configuration_sessions (
            id TEXT PRIMARY KEY NOT NULL,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            order_id TEXT,
            status TEXT
        );
        CREATE INDEX configuration_sessions_order_id ON configuration_sessions (order_id);
        CREATE INDEX configuration_sessions_status ON configuration_sessions (status);
        """),
        SchemaMigration(5, "installed-contracts-settings", """
        CREATE TABLE installed_contracts (
            id TEXT PRIMARY KEY NOT NULL,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            customer TEXT,
            status TEXT
        );
        CREATE INDEX installed_contracts_customer ON installed_contracts (customer);
        CREATE INDEX installed_contracts_status ON installed_contracts (status);
        CREATE TABLE settings (
            id TEXT PRIMARY KEY NOT NULL,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            name TEXT
        );
        CREATE INDEX settings_name ON settings (name);
        """),
        SchemaMigration(6, "jobs", """
        CREATE TABLE jobs (
            id TEXT PRIMARY KEY NOT NULL,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            job_kind TEXT,
            status TEXT,
            due_at TEXT,
            claim_until TEXT,
            subject TEXT
        );
        CREATE INDEX jobs_job_kind ON jobs (job_kind);
        CREATE INDEX jobs_status ON jobs (status);
        CREATE INDEX jobs_due_at ON jobs (due_at);
        CREATE INDEX jobs_claim_until ON jobs (claim_until);
        CREATE INDEX jobs_subject ON jobs (subject);
        """),
        // 7: history keeps the event and the change (JSON Patch) between snapshots; rows of the
        // queried entities (installed products and their status events, links, contracts orders service);
        // orders in jeopardy by an indexed column; every list's index ends with the id it pages by.
        SchemaMigration(7, "storage-v2", """
        ALTER TABLE history ADD COLUMN event TEXT;
        ALTER TABLE history ADD COLUMN format TEXT NOT NULL DEFAULT 'snapshot';
        CREATE INDEX history_version ON history (aggregate_kind, aggregate_id, version);
        CREATE INDEX history_at ON history (aggregate_kind, aggregate_id, at);
        DROP INDEX history_aggregate;
        CREATE TABLE installed_products (
            id TEXT PRIMARY KEY NOT NULL,
            contract TEXT NOT NULL,
            customer TEXT,
            product TEXT,
            parent TEXT,
            status TEXT,
            billing_account TEXT,
            installed_on TEXT,
            disconnected_on TEXT
        ) WITHOUT ROWID;
        CREATE INDEX installed_products_contract ON installed_products (contract);
        CREATE INDEX installed_products_customer ON installed_products (customer, status);
        CREATE TABLE installed_product_events (
            subject TEXT NOT NULL,
            version INTEGER NOT NULL,
            value TEXT,
            PRIMARY KEY (subject, version)
        ) WITHOUT ROWID;
        CREATE TRIGGER installed_product_events_no_update BEFORE UPDATE ON installed_product_events BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
        CREATE TRIGGER installed_product_events_no_delete BEFORE DELETE ON installed_product_events BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
        CREATE TABLE installed_links (
            id TEXT PRIMARY KEY NOT NULL,
            contract TEXT NOT NULL,
            from_id TEXT,
            to_id TEXT,
            status TEXT
        ) WITHOUT ROWID;
        CREATE INDEX installed_links_contract ON installed_links (contract);
        CREATE INDEX installed_links_to ON installed_links (to_id);
        CREATE TABLE order_contracts (
            id TEXT PRIMARY KEY NOT NULL,
            order_id TEXT NOT NULL,
            contract TEXT,
            order_status TEXT,
            parent_order TEXT
        ) WITHOUT ROWID;
        CREATE INDEX order_contracts_order ON order_contracts (order_id);
        CREATE INDEX order_contracts_contract ON order_contracts (contract, order_status);
        ALTER TABLE orders ADD COLUMN in_jeopardy TEXT;
        DROP INDEX catalog_versions_status;
        CREATE INDEX catalog_versions_status ON catalog_versions (status, id);
        DROP INDEX catalog_versions_effective_from;
        CREATE INDEX catalog_versions_effective_from ON catalog_versions (effective_from, id);
        DROP INDEX customers_customer_kind;
        CREATE INDEX customers_customer_kind ON customers (customer_kind, id);
        DROP INDEX customers_name;
        CREATE INDEX customers_name ON customers (name, id);
        DROP INDEX billing_accounts_owner;
        CREATE INDEX billing_accounts_owner ON billing_accounts (owner, id);
        DROP INDEX billing_accounts_status;
        CREATE INDEX billing_accounts_status ON billing_accounts (status, id);
        DROP INDEX users_role;
        CREATE INDEX users_role ON users (role, id);
        DROP INDEX api_tokens_user_id;
        CREATE INDEX api_tokens_user_id ON api_tokens (user_id, id);
        DROP INDEX api_tokens_digest;
        CREATE INDEX api_tokens_digest ON api_tokens (digest, id);
        DROP INDEX orders_capture_type;
        CREATE INDEX orders_capture_type ON orders (capture_type, id);
        DROP INDEX orders_status;
        CREATE INDEX orders_status ON orders (status, id);
        DROP INDEX orders_sold_to;
        CREATE INDEX orders_sold_to ON orders (sold_to, id);
        DROP INDEX orders_order_date;
        CREATE INDEX orders_order_date ON orders (order_date, id);
        CREATE INDEX orders_in_jeopardy ON orders (in_jeopardy, id);
        DROP INDEX configuration_sessions_order_id;
        CREATE INDEX configuration_sessions_order_id ON configuration_sessions (order_id, id);
        DROP INDEX configuration_sessions_status;
        CREATE INDEX configuration_sessions_status ON configuration_sessions (status, id);
        DROP INDEX installed_contracts_customer;
        CREATE INDEX installed_contracts_customer ON installed_contracts (customer, id);
        DROP INDEX installed_contracts_status;
        CREATE INDEX installed_contracts_status ON installed_contracts (status, id);
        DROP INDEX settings_name;
        CREATE INDEX settings_name ON settings (name, id);
        DROP INDEX jobs_job_kind;
        CREATE INDEX jobs_job_kind ON jobs (job_kind, id);
        DROP INDEX jobs_status;
        CREATE INDEX jobs_status ON jobs (status, id);
        DROP INDEX jobs_due_at;
        CREATE INDEX jobs_due_at ON jobs (due_at, id);
        DROP INDEX jobs_claim_until;
        CREATE INDEX jobs_claim_until ON jobs (claim_until, id);
        DROP INDEX jobs_subject;
        CREATE INDEX jobs_subject ON jobs (subject, id);
        """),
        SchemaMigration(8, "provisioning-messages", """
        CREATE TABLE provisioning_messages (
            id TEXT PRIMARY KEY NOT NULL,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            order_id TEXT,
            status TEXT
        );
        CREATE INDEX provisioning_messages_order_id ON provisioning_messages (order_id, id);
        """),
        // 9: the words customers are searched by; filled from every customer at upgrade.
        SchemaMigration(9, "customer-search", """
        CREATE TABLE customer_terms (
            id TEXT PRIMARY KEY NOT NULL,
            customer TEXT NOT NULL,
            term TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX customer_terms_customer ON customer_terms (customer);
        CREATE INDEX customer_terms_term ON customer_terms (term, id);
        """),
        // 10: the accounts paying each installed product, every billing row's (R-8.4: what a
        // prepaid account already pays, whoever owns it); filled from every installed contract.
        SchemaMigration(10, "installed-billing", """
        CREATE TABLE installed_billing (
            id TEXT PRIMARY KEY NOT NULL,
            contract TEXT NOT NULL,
            account TEXT NOT NULL,
            status TEXT
        ) WITHOUT ROWID;
        CREATE INDEX installed_billing_contract ON installed_billing (contract);
        CREATE INDEX installed_billing_account ON installed_billing (account, id);
        """),
        // 11: commitment contracts, listed per customer and, for the daily run,
        // by status and end date.
        SchemaMigration(11, "commitment-contracts", """
        CREATE TABLE commitment_contracts (
            id TEXT PRIMARY KEY NOT NULL,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            customer TEXT,
            status TEXT,
            ends_on TEXT
        );
        CREATE INDEX commitment_contracts_customer ON commitment_contracts (customer, id);
        CREATE INDEX commitment_contracts_status ON commitment_contracts (status, id);
        CREATE INDEX commitment_contracts_ends_on ON commitment_contracts (ends_on, id);
        """),
        // 12: service agreements, per customer and by status.
        SchemaMigration(12, "service-agreements", """
        CREATE TABLE service_agreements (
            id TEXT PRIMARY KEY NOT NULL,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            customer TEXT,
            status TEXT
        );
        CREATE INDEX service_agreements_customer ON service_agreements (customer, id);
        CREATE INDEX service_agreements_status ON service_agreements (status, id);
        """),
        // 13: what each commitment covers, so the daily run reads only the commitments
        // that change: those past their end date, and those covering a disconnected product.
        SchemaMigration(13, "commitment-coverage", """
        CREATE TABLE commitment_coverage (
            id TEXT PRIMARY KEY NOT NULL,
            commitment TEXT NOT NULL,
            installed_product TEXT NOT NULL,
            status TEXT
        ) WITHOUT ROWID;
        CREATE INDEX commitment_coverage_commitment ON commitment_coverage (commitment);
        CREATE INDEX commitment_coverage_installed_product ON commitment_coverage (installed_product, status);
        CREATE INDEX commitment_contracts_due ON commitment_contracts (status, ends_on);
        CREATE INDEX installed_products_status ON installed_products (status, disconnected_on);
        """),
        // 14: subscriptions, one per installed contract, listed per customer and per
        // accounts receivable; bills the billing system posts, read unsettled per
        // accounts receivable by due date; subscription actions, pending ones
        // listed per subscription and per customer and run when due.
        SchemaMigration(14, "subscriptions", """
        CREATE TABLE subscriptions (
            id TEXT PRIMARY KEY NOT NULL,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            customer TEXT,
            accounts_receivable TEXT,
            state TEXT,
            contract TEXT
        );
        CREATE INDEX subscriptions_customer ON subscriptions (customer, id);
        CREATE INDEX subscriptions_accounts_receivable ON subscriptions (accounts_receivable, id);
        CREATE INDEX subscriptions_state ON subscriptions (state, id);
        CREATE INDEX subscriptions_contract ON subscriptions (contract, id);
        CREATE TABLE bills (
            id TEXT PRIMARY KEY NOT NULL,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            accounts_receivable TEXT,
            settled TEXT,
            due_date TEXT
        );
        CREATE INDEX bills_accounts_receivable ON bills (accounts_receivable, id);
        CREATE INDEX bills_unsettled ON bills (accounts_receivable, settled, due_date);
        CREATE TABLE subscription_actions (
            id TEXT PRIMARY KEY NOT NULL,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            subscription TEXT,
            customer TEXT,
            status TEXT,
            runs_at TEXT
        );
        CREATE INDEX subscription_actions_subscription ON subscription_actions (subscription, id);
        CREATE INDEX subscription_actions_customer ON subscription_actions (customer, id);
        CREATE INDEX subscription_actions_due ON subscription_actions (status, runs_at);
        """),
        SchemaMigration(15, "plan migrations", """
        CREATE TABLE plan_migrations (
            id TEXT PRIMARY KEY NOT NULL,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            customer TEXT,
            instance TEXT,
            step TEXT,
            order_id TEXT
        );
        CREATE INDEX plan_migrations_customer ON plan_migrations (customer, id);
        CREATE INDEX plan_migrations_instance ON plan_migrations (instance, step);
        CREATE INDEX plan_migrations_step ON plan_migrations (step, id);
        CREATE INDEX plan_migrations_order ON plan_migrations (order_id);
        """),
    ]
}
