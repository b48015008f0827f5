-- The traveler system as a Django 4.2 project's migrations create it: bigserial ids, varchar(n)
-- for text, the foreign key last with a hashed name and DEFERRABLE INITIALLY DEFERRED, and the
-- CHECKs of the models' Meta.constraints (CheckConstraint(check=Q(quantity__gt=0),
-- name="quantity_positive")) under the names the application gave them, not the profile's
-- travelers_quantity_check / routing_steps_step_number_check. Used by
-- tests/cli/django_tables_test.cc: seed and verify find the CHECKs by their predicates.

CREATE TABLE "travelers" (
    "id" bigserial NOT NULL PRIMARY KEY,
    "job_number" varchar(32) NOT NULL UNIQUE,
    "work_order" varchar(16) NOT NULL,
    "part_number" varchar(40) NOT NULL,
    "part_description" varchar(120) NOT NULL,
    "revision" varchar(8) NOT NULL,
    "quantity" integer NOT NULL,
    "customer" varchar(120) NULL,
    "status" varchar(16) NOT NULL,
    "due_date" date NOT NULL,
    "created_at" timestamp with time zone NOT NULL,
    CONSTRAINT "quantity_positive" CHECK ("quantity" > 0)
);
CREATE INDEX "travelers_job_number_5b8c1f0e_like" ON "travelers" ("job_number" varchar_pattern_ops);
CREATE INDEX "travelers_status_2c9d4a1b" ON "travelers" ("status");
CREATE INDEX "travelers_due_date_7e3f2a9c" ON "travelers" ("due_date");

CREATE TABLE "routing_steps" (
    "id" bigserial NOT NULL PRIMARY KEY,
    "step_number" integer NOT NULL,
    "operation" varchar(40) NOT NULL,
    "work_center" varchar(16) NOT NULL,
    "estimated_minutes" integer NOT NULL,
    "status" varchar(16) NOT NULL,
    "started_at" timestamp with time zone NULL,
    "traveler_id" bigint NOT NULL,
    CONSTRAINT "step_number_positive" CHECK ("step_number" > 0),
    CONSTRAINT "routing_steps_traveler_id_step_number_3f1a2b4c_uniq" UNIQUE ("traveler_id", "step_number")
);
ALTER TABLE "routing_steps" ADD CONSTRAINT "routing_steps_traveler_id_8d2e4f6a_fk_travelers_id"
    FOREIGN KEY ("traveler_id") REFERENCES "travelers" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "routing_steps_traveler_id_8d2e4f6a" ON "routing_steps" ("traveler_id");
