-- Test fixture: cleandata as the seeds describe production (seeds: docs on datastores, section
-- "Analytics / Clean Data DB"): five schemas stage, control, curated, label, raw built by
-- sql/migrations/consolidated_cleandata_schema.sql (not in the seeds: its tables here are those the
-- definitions declare, the seeds name them), owned by the `postgres` superuser (no other role,
-- no grants, no comments), and the seeds' bookkeeping control.schema_versions(domain, version,
-- activated_at) without a checksum, with rows. Rows in several tables follow.
CREATE SCHEMA "control";
CREATE SCHEMA "curated";
CREATE SCHEMA "label";
CREATE SCHEMA "raw";
CREATE SCHEMA "stage";
CREATE TYPE "curated"."vessel_event_type" AS ENUM ('name_change', 'flag_change', 'ownership_change', 'call_sign_change', 'mmsi_change', 'rfmo_authorized', 'rfmo_deauthorized', 'iuu_listed', 'iuu_delisted', 'status_change');
CREATE TYPE "curated"."vessel_status" AS ENUM ('active', 'laid_up', 'scrapped', 'lost', 'unknown');
CREATE TYPE "stage"."ingest_status" AS ENUM ('received', 'parsed', 'failed', 'superseded');
CREATE TYPE "stage"."review_reason" AS ENUM ('low_confidence', 'check_digit_failed', 'conflicting_sources', 'unmatched_vessel', 'new_vessel');
CREATE TYPE "stage"."review_status" AS ENUM ('pending', 'in_review', 'approved', 'rejected', 'escalated');
CREATE TABLE "control"."schema_versions" (
    "domain" text NOT NULL,
    "version" text NOT NULL,
    "activated_at" timestamp with time zone NOT NULL DEFAULT now()
);
CREATE TABLE "curated"."flag_states" (
    "flag_code" character(3) NOT NULL,
    "name" text NOT NULL,
    "valid_to" date
);
CREATE TABLE "curated"."rfmo_vessels" (
    "rfmo_vessel_id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    "rfmo_code" text NOT NULL,
    "rfmo_vessel_ref" text NOT NULL,
    "vessel_id" bigint,
    "reported_name" text NOT NULL,
    "reported_imo" integer,
    "reported_flag_code" character(3),
    "authorized_from" date,
    "authorized_to" date
);
CREATE TABLE "curated"."rfmos" (
    "rfmo_code" text NOT NULL,
    "name" text NOT NULL
);
CREATE TABLE "curated"."vessel_events" (
    "event_id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    "vessel_id" bigint NOT NULL,
    "event_type" "curated"."vessel_event_type" NOT NULL,
    "effective_from" date NOT NULL,
    "effective_to" date,
    "old_value" text,
    "new_value" text,
    "confidence" numeric(4,3),
    "recorded_at" timestamp with time zone NOT NULL DEFAULT now()
);
CREATE TABLE "curated"."vessels" (
    "vessel_id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    "imo_number" integer,
    "name" text NOT NULL,
    "flag_code" character(3),
    "mmsi" character(9),
    "call_sign" text,
    "status" "curated"."vessel_status" NOT NULL DEFAULT 'active',
    "updated_at" timestamp with time zone NOT NULL DEFAULT now()
);
CREATE TABLE "label"."ls_projects" (
    "ls_project_id" bigint NOT NULL,
    "name" text NOT NULL
);
CREATE TABLE "label"."task_links" (
    "ls_task_id" bigint NOT NULL,
    "ls_project_id" bigint NOT NULL,
    "document_id" bigint NOT NULL,
    "extraction_id" bigint
);
CREATE TABLE "raw"."source_files" (
    "raw_file_id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    "source_name" text NOT NULL,
    "source_url" text,
    "content_sha256" bytea NOT NULL,
    "media_type" text,
    "storage_uri" text NOT NULL,
    "fetched_at" timestamp with time zone NOT NULL DEFAULT now()
);
CREATE TABLE "raw"."source_rows" (
    "raw_row_id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    "raw_file_id" bigint NOT NULL,
    "row_number" integer NOT NULL,
    "payload" jsonb NOT NULL
);
CREATE TABLE "stage"."cleaning_rules" (
    "rule_id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    "name" text NOT NULL,
    "field_name" text NOT NULL,
    "rule_kind" text NOT NULL,
    "pattern" text,
    "replacement" text,
    "priority" integer NOT NULL DEFAULT 100,
    "enabled" boolean NOT NULL DEFAULT true
);
CREATE TABLE "stage"."documents" (
    "document_id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    "source_uri" text NOT NULL,
    "source_kind" text NOT NULL,
    "original_filename" text,
    "content_sha256" bytea NOT NULL,
    "status" "stage"."ingest_status" NOT NULL DEFAULT 'received',
    "row_count" integer,
    "error" text,
    "ingested_at" timestamp with time zone NOT NULL DEFAULT now()
);
CREATE TABLE "stage"."extractions" (
    "extraction_id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    "document_id" bigint NOT NULL,
    "row_number" integer,
    "field_name" text NOT NULL,
    "entity_label" text NOT NULL,
    "raw_value" text NOT NULL,
    "normalized_value" text,
    "confidence" numeric(4,3) NOT NULL,
    "extractor" text NOT NULL,
    "created_at" timestamp with time zone NOT NULL DEFAULT now()
);
CREATE TABLE "stage"."review_queue" (
    "review_id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    "extraction_id" bigint NOT NULL,
    "reason" "stage"."review_reason" NOT NULL,
    "status" "stage"."review_status" NOT NULL DEFAULT 'pending',
    "confidence" numeric(4,3),
    "label_studio_task_id" bigint,
    "assigned_to" text,
    "created_at" timestamp with time zone NOT NULL DEFAULT now(),
    "decided_at" timestamp with time zone
);
ALTER TABLE "control"."schema_versions" ADD CONSTRAINT "schema_versions_pkey" PRIMARY KEY ("domain", "version");
ALTER TABLE "curated"."flag_states" ADD CONSTRAINT "flag_states_flag_code_check" CHECK (flag_code ~ '^[A-Z]{3}$');
ALTER TABLE "curated"."flag_states" ADD CONSTRAINT "flag_states_pkey" PRIMARY KEY ("flag_code");
ALTER TABLE "curated"."rfmo_vessels" ADD CONSTRAINT "rfmo_vessels_authorized_check" CHECK (authorized_to IS NULL OR authorized_to >= authorized_from);
ALTER TABLE "curated"."rfmo_vessels" ADD CONSTRAINT "rfmo_vessels_pkey" PRIMARY KEY ("rfmo_vessel_id");
ALTER TABLE "curated"."rfmo_vessels" ADD CONSTRAINT "rfmo_vessels_rfmo_code_rfmo_vessel_ref_key" UNIQUE ("rfmo_code", "rfmo_vessel_ref");
ALTER TABLE "curated"."rfmos" ADD CONSTRAINT "rfmos_pkey" PRIMARY KEY ("rfmo_code");
ALTER TABLE "curated"."rfmos" ADD CONSTRAINT "rfmos_rfmo_code_check" CHECK (rfmo_code ~ '^[A-Z]{3,8}$');
ALTER TABLE "curated"."vessel_events" ADD CONSTRAINT "vessel_events_confidence_check" CHECK (confidence BETWEEN 0 AND 1);
ALTER TABLE "curated"."vessel_events" ADD CONSTRAINT "vessel_events_effective_check" CHECK (effective_to IS NULL OR effective_to >= effective_from);
ALTER TABLE "curated"."vessel_events" ADD CONSTRAINT "vessel_events_pkey" PRIMARY KEY ("event_id");
ALTER TABLE "curated"."vessels" ADD CONSTRAINT "vessels_imo_number_check" CHECK (imo_number BETWEEN 1000000 AND 9999999 AND ((imo_number / 1000000) * 7 + (imo_number / 100000 % 10) * 6 + (imo_number / 10000 % 10) * 5 + (imo_number / 1000 % 10) * 4 + (imo_number / 100 % 10) * 3 + (imo_number / 10 % 10) * 2) % 10 = imo_number % 10);
ALTER TABLE "curated"."vessels" ADD CONSTRAINT "vessels_imo_number_key" UNIQUE ("imo_number");
ALTER TABLE "curated"."vessels" ADD CONSTRAINT "vessels_mmsi_check" CHECK (mmsi ~ '^[0-9]{9}$');
ALTER TABLE "curated"."vessels" ADD CONSTRAINT "vessels_pkey" PRIMARY KEY ("vessel_id");
ALTER TABLE "label"."ls_projects" ADD CONSTRAINT "ls_projects_pkey" PRIMARY KEY ("ls_project_id");
ALTER TABLE "label"."task_links" ADD CONSTRAINT "task_links_pkey" PRIMARY KEY ("ls_task_id");
ALTER TABLE "raw"."source_files" ADD CONSTRAINT "source_files_content_sha256_check" CHECK (octet_length(content_sha256) = 32);
ALTER TABLE "raw"."source_files" ADD CONSTRAINT "source_files_content_sha256_key" UNIQUE ("content_sha256");
ALTER TABLE "raw"."source_files" ADD CONSTRAINT "source_files_pkey" PRIMARY KEY ("raw_file_id");
ALTER TABLE "raw"."source_rows" ADD CONSTRAINT "source_rows_pkey" PRIMARY KEY ("raw_row_id");
ALTER TABLE "raw"."source_rows" ADD CONSTRAINT "source_rows_raw_file_id_row_number_key" UNIQUE ("raw_file_id", "row_number");
ALTER TABLE "raw"."source_rows" ADD CONSTRAINT "source_rows_row_number_check" CHECK (row_number >= 1);
ALTER TABLE "stage"."cleaning_rules" ADD CONSTRAINT "cleaning_rules_name_key" UNIQUE ("name");
ALTER TABLE "stage"."cleaning_rules" ADD CONSTRAINT "cleaning_rules_pkey" PRIMARY KEY ("rule_id");
ALTER TABLE "stage"."cleaning_rules" ADD CONSTRAINT "cleaning_rules_rule_kind_check" CHECK (rule_kind IN ('regex_replace', 'lookup', 'trim', 'upper', 'country_alias'));
ALTER TABLE "stage"."documents" ADD CONSTRAINT "documents_content_sha256_check" CHECK (octet_length(content_sha256) = 32);
ALTER TABLE "stage"."documents" ADD CONSTRAINT "documents_content_sha256_key" UNIQUE ("content_sha256");
ALTER TABLE "stage"."documents" ADD CONSTRAINT "documents_pkey" PRIMARY KEY ("document_id");
ALTER TABLE "stage"."documents" ADD CONSTRAINT "documents_source_kind_check" CHECK (source_kind IN ('csv', 'xlsx', 'pdf'));
ALTER TABLE "stage"."extractions" ADD CONSTRAINT "extractions_confidence_check" CHECK (confidence BETWEEN 0 AND 1);
ALTER TABLE "stage"."extractions" ADD CONSTRAINT "extractions_pkey" PRIMARY KEY ("extraction_id");
ALTER TABLE "stage"."review_queue" ADD CONSTRAINT "review_queue_confidence_check" CHECK (confidence BETWEEN 0 AND 1);
ALTER TABLE "stage"."review_queue" ADD CONSTRAINT "review_queue_decided_check" CHECK (status NOT IN ('approved', 'rejected') OR decided_at IS NOT NULL);
ALTER TABLE "stage"."review_queue" ADD CONSTRAINT "review_queue_pkey" PRIMARY KEY ("review_id");
ALTER TABLE "curated"."rfmo_vessels" ADD CONSTRAINT "rfmo_vessels_rfmo_code_fkey" FOREIGN KEY ("rfmo_code") REFERENCES "curated"."rfmos" ("rfmo_code");
ALTER TABLE "curated"."rfmo_vessels" ADD CONSTRAINT "rfmo_vessels_vessel_id_fkey" FOREIGN KEY ("vessel_id") REFERENCES "curated"."vessels" ("vessel_id") ON DELETE SET NULL;
ALTER TABLE "curated"."vessel_events" ADD CONSTRAINT "vessel_events_vessel_id_fkey" FOREIGN KEY ("vessel_id") REFERENCES "curated"."vessels" ("vessel_id") ON DELETE CASCADE;
ALTER TABLE "curated"."vessels" ADD CONSTRAINT "vessels_flag_code_fkey" FOREIGN KEY ("flag_code") REFERENCES "curated"."flag_states" ("flag_code");
ALTER TABLE "label"."task_links" ADD CONSTRAINT "task_links_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "stage"."documents" ("document_id");
ALTER TABLE "label"."task_links" ADD CONSTRAINT "task_links_ls_project_id_fkey" FOREIGN KEY ("ls_project_id") REFERENCES "label"."ls_projects" ("ls_project_id");
ALTER TABLE "raw"."source_rows" ADD CONSTRAINT "source_rows_raw_file_id_fkey" FOREIGN KEY ("raw_file_id") REFERENCES "raw"."source_files" ("raw_file_id") ON DELETE CASCADE;
ALTER TABLE "stage"."extractions" ADD CONSTRAINT "extractions_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "stage"."documents" ("document_id") ON DELETE CASCADE;
ALTER TABLE "stage"."review_queue" ADD CONSTRAINT "review_queue_extraction_id_fkey" FOREIGN KEY ("extraction_id") REFERENCES "stage"."extractions" ("extraction_id") ON DELETE CASCADE;
CREATE INDEX "vessel_events_vessel_from_idx" ON "curated"."vessel_events" ("vessel_id", "effective_from");
CREATE INDEX "vessels_flag_idx" ON "curated"."vessels" ("flag_code");
CREATE INDEX "vessels_mmsi_idx" ON "curated"."vessels" ("mmsi");
CREATE INDEX "extractions_document_idx" ON "stage"."extractions" ("document_id");
CREATE INDEX "review_queue_status_idx" ON "stage"."review_queue" ("status");

INSERT INTO control.schema_versions (domain, version, activated_at) VALUES
  ('stage', 'V3', '2025-09-30 10:00:00+00'), ('curated', 'V4', '2025-10-02 10:00:00+00');
INSERT INTO curated.flag_states (flag_code, name) VALUES ('PAN', 'Panama'), ('LBR', 'Liberia');
INSERT INTO curated.rfmos (rfmo_code, name) VALUES ('ICCAT', 'International Commission for the Conservation of Atlantic Tunas');
INSERT INTO curated.vessels (imo_number, name, flag_code, mmsi) VALUES (9074729, 'OCEAN PRIDE', 'PAN', '352000001');
INSERT INTO curated.rfmo_vessels (rfmo_code, rfmo_vessel_ref, vessel_id, reported_name)
  SELECT 'ICCAT', 'AT000PAN00001', vessel_id, 'OCEAN PRIDE' FROM curated.vessels;
INSERT INTO stage.documents (source_uri, source_kind, content_sha256)
  VALUES ('s3://labelstudio-goldfish-uploads/raw-uploads/iccat.csv', 'csv', sha256('iccat'));
INSERT INTO stage.extractions (document_id, field_name, entity_label, raw_value, confidence, extractor)
  SELECT document_id, 'imo', 'IMO', '9074729', 0.97, 'regex@1' FROM stage.documents;
INSERT INTO raw.source_files (source_name, content_sha256, storage_uri)
  VALUES ('ICCAT', sha256('iccat'), 's3://labelstudio-goldfish-uploads/raw/iccat.csv');
INSERT INTO raw.source_rows (raw_file_id, row_number, payload)
  SELECT raw_file_id, 1, '{"IMO": "9074729"}' FROM raw.source_files;
