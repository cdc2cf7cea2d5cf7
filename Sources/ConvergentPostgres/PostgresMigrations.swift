import ConvergentStore

extension PostgresStore {
    /// The schema, one numbered migration at a time. FROZEN: a migration on main is never edited
    /// (`MigrationChecksumTests` holds their SHA-256); a change to the schema is a new migration.
    /// Unqualified names: the runner sets `search_path` to the store's schema.
    public static let migrations: [SchemaMigration] = [
        SchemaMigration(1, "aggregates-history-sequences", """
        CREATE TABLE catalog_versions (
            id TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            status TEXT,
            effective_from TEXT
        );
        CREATE INDEX catalog_versions_status ON catalog_versions (status);
        CREATE INDEX catalog_versions_effective_from ON catalog_versions (effective_from);
        CREATE TABLE customers (
            id TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            customer_kind TEXT,
            name TEXT
        );
        CREATE INDEX customers_customer_kind ON customers (customer_kind);
        CREATE INDEX customers_name ON customers (name);
        CREATE TABLE billing_accounts (
            id TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            owner TEXT,
            status TEXT
        );
        CREATE INDEX billing_accounts_owner ON billing_accounts (owner);
        CREATE INDEX billing_accounts_status ON billing_accounts (status);
        CREATE TABLE users (
            id TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            role TEXT
        );
        CREATE INDEX users_role ON users (role);
        CREATE TABLE api_tokens (
            id TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            user_id TEXT,
            digest TEXT
        );
        CREATE INDEX api_tokens_user_id ON api_tokens (user_id);
        CREATE INDEX api_tokens_digest ON api_tokens (digest);
        CREATE TABLE history (
            sequence BIGSERIAL PRIMARY KEY,
            at BIGINT NOT NULL,
            actor TEXT NOT NULL,
            aggregate_kind TEXT NOT NULL,
            aggregate_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            action TEXT NOT NULL,
            reason TEXT,
            data TEXT NOT NULL
        );
        CREATE FUNCTION history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'history is append-only'; END $$;
        CREATE TRIGGER history_append_only BEFORE UPDATE OR DELETE ON history FOR EACH ROW EXECUTE FUNCTION history_append_only();
        CREATE TABLE sequences (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
        """),
        SchemaMigration(2, "history-lookup", """
        CREATE INDEX history_aggregate ON history (aggregate_kind, aggregate_id, sequence);
        """),
        SchemaMigration(3, "orders-idempotency-keys", """
        CREATE TABLE orders (
            id TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
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
            body BYTEA NOT NULL,
            created_at BIGINT NOT NULL,
            PRIMARY KEY (actor, key)
        );
        """),
        SchemaMigration(4, "configuration-sessions", """
        CREATE TABLE configuration_sessions (
            id TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            order_id TEXT,
            status TEXT
        );
        CREATE INDEX configuration_sessions_order_id ON configuration_sessions (order_id);
        CREATE INDEX configuration_sessions_status ON configuration_sessions (status);
        """),
        SchemaMigration(5, "installed-contracts-settings", """
        CREATE TABLE installed_contracts (
            id TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            customer TEXT,
            status TEXT
        );
        CREATE INDEX installed_contracts_customer ON installed_contracts (customer);
        CREATE INDEX installed_contracts_status ON installed_contracts (status);
        CREATE TABLE settings (
            id TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            name TEXT
        );
        CREATE INDEX settings_name ON settings (name);
        """),
        SchemaMigration(6, "jobs", """
        CREATE TABLE jobs (
            id TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
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
        // orders in jeopardy by an indexed column; every list's index ends with the id it pages by
        // (in the "C" collation the queries compare with, so they can use it).
        SchemaMigration(7, "storage-v2", """
        ALTER TABLE history ADD COLUMN event TEXT;
        ALTER TABLE history ADD COLUMN format TEXT NOT NULL DEFAULT 'snapshot';
        CREATE INDEX history_version ON history (aggregate_kind, aggregate_id, version);
        CREATE INDEX history_at ON history (aggregate_kind, aggregate_id, at);
        DROP INDEX history_aggregate;
        CREATE TABLE installed_products (
            id TEXT PRIMARY KEY,
            contract TEXT NOT NULL,
            customer TEXT,
            product TEXT,
            parent TEXT,
            status TEXT,
            billing_account TEXT,
            installed_on TEXT,
            disconnected_on TEXT
        );
        CREATE INDEX installed_products_contract ON installed_products (contract);
        CREATE INDEX installed_products_customer ON installed_products (customer, status);
        CREATE TABLE installed_product_events (
            subject TEXT NOT NULL,
            version INTEGER NOT NULL,
            value TEXT,
            PRIMARY KEY (subject, version)
        );
        CREATE TRIGGER installed_product_events_append_only BEFORE UPDATE OR DELETE ON installed_product_events FOR EACH ROW EXECUTE FUNCTION history_append_only();
        CREATE TABLE installed_links (
            id TEXT PRIMARY KEY,
            contract TEXT NOT NULL,
            from_id TEXT,
            to_id TEXT,
            status TEXT
        );
        CREATE INDEX installed_links_contract ON installed_links (contract);
        CREATE INDEX installed_links_to ON installed_links (to_id);
        CREATE TABLE order_contracts (
            id TEXT PRIMARY KEY,
            order_id TEXT NOT NULL,
            contract TEXT,
            order_status TEXT,
            parent_order TEXT
        );
        CREATE INDEX order_contracts_order ON order_contracts (order_id);
        CREATE INDEX order_contracts_contract ON order_contracts (contract, order_status);
        ALTER TABLE orders ADD COLUMN in_jeopardy TEXT;
        CREATE INDEX catalog_versions_id_c ON catalog_versions (id COLLATE "C");
        DROP INDEX catalog_versions_status;
        CREATE INDEX catalog_versions_status ON catalog_versions (status COLLATE "C", id COLLATE "C");
        DROP INDEX catalog_versions_effective_from;
        CREATE INDEX catalog_versions_effective_from ON catalog_versions (effective_from COLLATE "C", id COLLATE "C");
        CREATE INDEX customers_id_c ON customers (id COLLATE "C");
        DROP INDEX customers_customer_kind;
        CREATE INDEX customers_customer_kind ON customers (customer_kind COLLATE "C", id COLLATE "C");
        DROP INDEX customers_name;
        CREATE INDEX customers_name ON customers (name COLLATE "C", id COLLATE "C");
        CREATE INDEX billing_accounts_id_c ON billing_accounts (id COLLATE "C");
        DROP INDEX billing_accounts_owner;
        CREATE INDEX billing_accounts_owner ON billing_accounts (owner COLLATE "C", id COLLATE "C");
        DROP INDEX billing_accounts_status;
        CREATE INDEX billing_accounts_status ON billing_accounts (status COLLATE "C", id COLLATE "C");
        CREATE INDEX users_id_c ON users (id COLLATE "C");
        DROP INDEX users_role;
        CREATE INDEX users_role ON users (role COLLATE "C", id COLLATE "C");
        CREATE INDEX api_tokens_id_c ON api_tokens (id COLLATE "C");
        DROP INDEX api_tokens_user_id;
        CREATE INDEX api_tokens_user_id ON api_tokens (user_id COLLATE "C", id COLLATE "C");
        DROP INDEX api_tokens_digest;
        CREATE INDEX api_tokens_digest ON api_tokens (digest COLLATE "C", id COLLATE "C");
        CREATE INDEX orders_id_c ON orders (id COLLATE "C");
        DROP INDEX orders_capture_type;
        CREATE INDEX orders_capture_type ON orders (capture_type COLLATE "C", id COLLATE "C");
        DROP INDEX orders_status;
        CREATE INDEX orders_status ON orders (status COLLATE "C", id COLLATE "C");
        DROP INDEX orders_sold_to;
        CREATE INDEX orders_sold_to ON orders (sold_to COLLATE "C", id COLLATE "C");
        DROP INDEX orders_order_date;
        CREATE INDEX orders_order_date ON orders (order_date COLLATE "C", id COLLATE "C");
        CREATE INDEX orders_in_jeopardy ON orders (in_jeopardy COLLATE "C", id COLLATE "C");
        CREATE INDEX configuration_sessions_id_c ON configuration_sessions (id COLLATE "C");
        DROP INDEX configuration_sessions_order_id;
        CREATE INDEX configuration_sessions_order_id ON configuration_sessions (order_id COLLATE "C", id COLLATE "C");
        DROP INDEX configuration_sessions_status;
        CREATE INDEX configuration_sessions_status ON configuration_sessions (status COLLATE "C", id COLLATE "C");
        CREATE INDEX installed_contracts_id_c ON installed_contracts (id COLLATE "C");
        DROP INDEX installed_contracts_customer;
        CREATE INDEX installed_contracts_customer ON installed_contracts (customer COLLATE "C", id COLLATE "C");
        DROP INDEX installed_contracts_status;
        CREATE INDEX installed_contracts_status ON installed_contracts (status COLLATE "C", id COLLATE "C");
        CREATE INDEX settings_id_c ON settings (id COLLATE "C");
        DROP INDEX settings_name;
        CREATE INDEX settings_name ON settings (name COLLATE "C", id COLLATE "C");
        CREATE INDEX jobs_id_c ON jobs (id COLLATE "C");
        DROP INDEX jobs_job_kind;
        CREATE INDEX jobs_job_kind ON jobs (job_kind COLLATE "C", id COLLATE "C");
        DROP INDEX jobs_status;
        CREATE INDEX jobs_status ON jobs (status COLLATE "C", id COLLATE "C");
        DROP INDEX jobs_due_at;
        CREATE INDEX jobs_due_at ON jobs (due_at COLLATE "C", id COLLATE "C");
        DROP INDEX jobs_claim_until;
        CREATE INDEX jobs_claim_until ON jobs (claim_until COLLATE "C", id COLLATE "C");
        DROP INDEX jobs_subject;
        CREATE INDEX jobs_subject ON jobs (subject COLLATE "C", id COLLATE "C");
        """),
        SchemaMigration(8, "provisioning-messages", """
        CREATE TABLE provisioning_messages (
            id TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            order_id TEXT,
            status TEXT
        );
        CREATE INDEX provisioning_messages_id_c ON provisioning_messages (id COLLATE "C");
        CREATE INDEX provisioning_messages_order_id ON provisioning_messages (order_id COLLATE "C", id COLLATE "C");
        """),
        // 9: the words customers are searched by, compared byte by byte ("C") as on
        // SQLite so a prefix is a range; filled from every customer at upgrade.
        SchemaMigration(9, "customer-search", """
        CREATE TABLE customer_terms (
            id TEXT COLLATE "C" PRIMARY KEY,
            customer TEXT COLLATE "C" NOT NULL,
            term TEXT COLLATE "C" NOT NULL
        );
        CREATE INDEX customer_terms_customer ON customer_terms (customer);
        CREATE INDEX customer_terms_term ON customer_terms (term, id);
        """),
        // 10: the accounts paying each installed product, every billing row's (R-8.4: what a
        // prepaid account already pays, whoever owns it); filled from every installed contract.
        SchemaMigration(10, "installed-billing", """
        CREATE TABLE installed_billing (
            id TEXT COLLATE "C" PRIMARY KEY,
            contract TEXT COLLATE "C" NOT NULL,
            account TEXT COLLATE "C" NOT NULL,
            status TEXT
        );
        CREATE INDEX installed_billing_contract ON installed_billing (contract);
        CREATE INDEX installed_billing_account ON installed_billing (account, id);
        """),
        // 11: commitment contracts, listed per customer and, for the daily run,
        // by status and end date; compared byte by byte ("C") as on SQLite.
        SchemaMigration(11, "commitment-contracts", """
        CREATE TABLE commitment_contracts (
            id TEXT COLLATE "C" PRIMARY KEY,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            customer TEXT COLLATE "C",
            status TEXT COLLATE "C",
            ends_on TEXT COLLATE "C"
        );
        CREATE INDEX commitment_contracts_customer ON commitment_contracts (customer, id);
        CREATE INDEX commitment_contracts_status ON commitment_contracts (status, id);
        CREATE INDEX commitment_contracts_ends_on ON commitment_contracts (ends_on, id);
        """),
        // 12: service agreements, per customer and by status; compared byte by byte ("C").
        SchemaMigration(12, "service-agreements", """
        CREATE TABLE service_agreements (
            id TEXT COLLATE "C" PRIMARY KEY,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            customer TEXT COLLATE "C",
            status TEXT COLLATE "C"
        );
        CREATE INDEX service_agreements_customer ON service_agreements (customer, id);
        CREATE INDEX service_agreements_status ON service_agreements (status, id);
        """),
        // 13: what each commitment covers, so the daily run reads only the commitments
        // that change: those past their end date, and those covering a disconnected product
        // (installed product ids in the collation of installed_products.id, which they join).
        SchemaMigration(13, "commitment-coverage", """
        CREATE TABLE commitment_coverage (
            id TEXT COLLATE "C" PRIMARY KEY,
            commitment TEXT COLLATE "C" NOT NULL,
            installed_product TEXT NOT NULL,
            status TEXT COLLATE "C"
        );
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
            id TEXT COLLATE "C" PRIMARY KEY,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            customer TEXT COLLATE "C",
            accounts_receivable TEXT COLLATE "C",
            state TEXT COLLATE "C",
            contract TEXT COLLATE "C"
        );
        CREATE INDEX subscriptions_customer ON subscriptions (customer, id);
        CREATE INDEX subscriptions_accounts_receivable ON subscriptions (accounts_receivable, id);
        CREATE INDEX subscriptions_state ON subscriptions (state, id);
        CREATE INDEX subscriptions_contract ON subscriptions (contract, id);
        CREATE TABLE bills (
            id TEXT COLLATE "C" PRIMARY KEY,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            accounts_receivable TEXT COLLATE "C",
            settled TEXT COLLATE "C",
            due_date TEXT COLLATE "C"
        );
        CREATE INDEX bills_accounts_receivable ON bills (accounts_receivable, id);
        CREATE INDEX bills_unsettled ON bills (accounts_receivable, settled, due_date);
        CREATE TABLE subscription_actions (
            id TEXT COLLATE "C" PRIMARY KEY,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            subscription TEXT COLLATE "C",
            customer TEXT COLLATE "C",
            status TEXT COLLATE "C",
            runs_at TEXT COLLATE "C"
        );
        CREATE INDEX subscription_actions_subscription ON subscription_actions (subscription, id);
        CREATE INDEX subscription_actions_customer ON subscription_actions (customer, id);
        CREATE INDEX subscription_actions_due ON subscription_actions (status, runs_at);
        """),
        SchemaMigration(15, "plan migrations", """
        CREATE TABLE plan_migrations (
            id TEXT COLLATE "C" PRIMARY KEY,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            customer TEXT COLLATE "C",
            instance TEXT COLLATE "C",
            step TEXT COLLATE "C",
            order_id TEXT COLLATE "C"
        );
        CREATE INDEX plan_migrations_customer ON plan_migrations (customer, id);
        CREATE INDEX plan_migrations_instance ON plan_migrations (instance, step);
        CREATE INDEX plan_migrations_step ON plan_migrations (step, id);
        CREATE INDEX plan_migrations_order ON plan_migrations (order_id);
        """),
    ]
}
