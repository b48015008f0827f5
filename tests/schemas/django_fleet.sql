-- The fleet's five tables as a Django 4.0 project creates them (`manage.py migrate` of an app
-- whose models match profiles/default.json, db_table and db_column set to the fleet's names),
-- written as `manage.py sqlmigrate` prints it: not seedforge's DDL. What Django does differently:
--   - BigAutoField ids are bigserial (an owned sequence, not an identity: Django < 4.1);
--   - CharField is varchar(max_length): username varchar(150), email varchar(254); the MAC
--     address is a CharField(max_length=17); GenericIPAddressField is inet;
--   - foreign-key columns come last (the fields were added by a later migration), their
--     constraints are added afterwards, DEFERRABLE INITIALLY DEFERRED, with hashed names, and
--     each has its own index (hashed name) instead of seedforge's *_idx;
--   - unique CharFields get a second index with varchar_pattern_ops (*_like), unique_together a
--     *_uniq constraint, and Meta.constraints CheckConstraints named by the application.
-- Used by tests/cli/django_tables_test.cc.

CREATE TABLE "users" (
    "id" bigserial NOT NULL PRIMARY KEY,
    "username" varchar(150) NOT NULL UNIQUE,
    "email" varchar(254) NOT NULL UNIQUE,
    "full_name" varchar(200) NOT NULL,
    "department" varchar(100) NOT NULL,
    "role" varchar(100) NOT NULL,
    "is_active" boolean NOT NULL,
    "created_at" timestamp with time zone NOT NULL,
    "created_by" bigint NULL
);
ALTER TABLE "users" ADD CONSTRAINT "users_created_by_8e5a3c1f_fk_users_id"
    FOREIGN KEY ("created_by") REFERENCES "users" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "users_username_6821ab7c_like" ON "users" ("username" varchar_pattern_ops);
CREATE INDEX "users_email_0ea73cca_like" ON "users" ("email" varchar_pattern_ops);
CREATE INDEX "users_created_by_8e5a3c1f" ON "users" ("created_by");

CREATE TABLE "applications" (
    "id" bigserial NOT NULL PRIMARY KEY,
    "name" varchar(200) NOT NULL,
    "publisher" varchar(200) NOT NULL,
    "version" varchar(50) NOT NULL,
    "platform" varchar(20) NOT NULL,
    "category" varchar(50) NOT NULL,
    "package_size_mb" numeric(12, 2) NOT NULL,
    "created_at" timestamp with time zone NOT NULL,
    "created_by" bigint NOT NULL
);
ALTER TABLE "applications" ADD CONSTRAINT "applications_name_version_platform_9f1e2d3c_uniq"
    UNIQUE ("name", "version", "platform");
ALTER TABLE "applications" ADD CONSTRAINT "applications_package_size_mb_check"
    CHECK ("package_size_mb" > 0);
ALTER TABLE "applications" ADD CONSTRAINT "applications_created_by_4a9b1c2d_fk_users_id"
    FOREIGN KEY ("created_by") REFERENCES "users" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "applications_created_by_4a9b1c2d" ON "applications" ("created_by");

CREATE TABLE "assets" (
    "id" bigserial NOT NULL PRIMARY KEY,
    "asset_tag" varchar(32) NOT NULL UNIQUE,
    "hostname" varchar(255) NOT NULL,
    "serial_number" varchar(64) NOT NULL UNIQUE,
    "asset_type" varchar(50) NOT NULL,
    "manufacturer" varchar(100) NOT NULL,
    "model" varchar(100) NOT NULL,
    "os_name" varchar(100) NOT NULL,
    "os_version" varchar(50) NOT NULL,
    "ip_address" inet NOT NULL,
    "mac_address" varchar(17) NULL,
    "location" varchar(100) NULL,
    "status" varchar(20) NOT NULL,
    "created_at" timestamp with time zone NOT NULL,
    "last_seen_at" timestamp with time zone NOT NULL,
    "owner_id" bigint NULL
);
ALTER TABLE "assets" ADD CONSTRAINT "assets_owner_id_3f7d2a9b_fk_users_id"
    FOREIGN KEY ("owner_id") REFERENCES "users" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "assets_asset_tag_5c1e8f2a_like" ON "assets" ("asset_tag" varchar_pattern_ops);
CREATE INDEX "assets_serial_number_b2d4e6f8_like" ON "assets" ("serial_number" varchar_pattern_ops);
CREATE INDEX "assets_owner_id_3f7d2a9b" ON "assets" ("owner_id");

CREATE TABLE "deployments" (
    "id" bigserial NOT NULL PRIMARY KEY,
    "ring" varchar(20) NOT NULL,
    "status" varchar(20) NOT NULL,
    "started_at" timestamp with time zone NOT NULL,
    "finished_at" timestamp with time zone NULL,
    "error_code" varchar(50) NULL,
    "application_id" bigint NOT NULL,
    "asset_id" bigint NOT NULL,
    "initiated_by" bigint NOT NULL
);
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_finished_at_check"
    CHECK (("finished_at" IS NULL OR "finished_at" >= ("started_at")));
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_application_id_1b2c3d4e_fk_applications_id"
    FOREIGN KEY ("application_id") REFERENCES "applications" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_asset_id_7b1c3a2e_fk_assets_id"
    FOREIGN KEY ("asset_id") REFERENCES "assets" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_initiated_by_9a8b7c6d_fk_users_id"
    FOREIGN KEY ("initiated_by") REFERENCES "users" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "deployments_application_id_1b2c3d4e" ON "deployments" ("application_id");
CREATE INDEX "deployments_asset_id_7b1c3a2e" ON "deployments" ("asset_id");
CREATE INDEX "deployments_initiated_by_9a8b7c6d" ON "deployments" ("initiated_by");

CREATE TABLE "events" (
    "id" bigserial NOT NULL PRIMARY KEY,
    "event_type" varchar(50) NOT NULL,
    "severity" varchar(20) NOT NULL,
    "occurred_at" timestamp with time zone NULL,
    "payload" jsonb NULL,
    "asset_id" bigint NULL,
    "user_id" bigint NULL,
    "deployment_id" bigint NULL
);
ALTER TABLE "events" ADD CONSTRAINT "events_asset_id_2e4f6a8c_fk_assets_id"
    FOREIGN KEY ("asset_id") REFERENCES "assets" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "events" ADD CONSTRAINT "events_user_id_5d7f9b1e_fk_users_id"
    FOREIGN KEY ("user_id") REFERENCES "users" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "events" ADD CONSTRAINT "events_deployment_id_c3e5a7b9_fk_deployments_id"
    FOREIGN KEY ("deployment_id") REFERENCES "deployments" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "events_occurred_at_4d2c1b3a" ON "events" ("occurred_at");
CREATE INDEX "events_asset_id_2e4f6a8c" ON "events" ("asset_id");
CREATE INDEX "events_user_id_5d7f9b1e" ON "events" ("user_id");
CREATE INDEX "events_deployment_id_c3e5a7b9" ON "events" ("deployment_id");
