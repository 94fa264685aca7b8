import DSL

/// The data pipeline's database (CrunchyBridge), declared once: every migration under
/// sql/cleandata/ is generated from this. Domain rules: the IMO ship number is 7 digits whose
/// last is the check digit (7·d1 + 6·d2 + 5·d3 + 4·d4 + 3·d5 + 2·d6) mod 10, permanent for the
/// hull but missing on many small vessels (nullable, unique, not the key); an MMSI is 9 digits
/// and changes with the flag (history, not identity); flags are ISO 3166-1 alpha-3 codes.
func cleandata() -> Database {
    let imoCheckDigit = """
        imo_number BETWEEN 1000000 AND 9999999 AND ((imo_number / 1000000) * 7 + (imo_number / 100000 % 10) * 6 \
        + (imo_number / 10000 % 10) * 5 + (imo_number / 1000 % 10) * 4 + (imo_number / 100 % 10) * 3 \
        + (imo_number / 10 % 10) * 2) % 10 = imo_number % 10
        """
    let created = Column("created_at", .timestamptz, default: "now()", comment: "When the row was written.")
    // Stage's ingest status and documents are referenced from stage and label, so declared before both
    // (both are listed in stage below, which is what places them there).
    let ingestStatus = EnumType("ingest_status", ["received", "parsed", "failed", "superseded"])
    let documents = Table("documents", comment: "An uploaded spreadsheet or PDF being ingested.") {
        Column("document_id", .bigint, identity: true)
        Column("source_uri", .text)
        Column("source_kind", .text).check("source_kind IN ('csv', 'xlsx', 'pdf')")
        Column("original_filename", .text, nullable: true)
        Column("content_sha256", .bytea, comment: "Deduplicates re-uploads.").check("octet_length(content_sha256) = 32")
        Column("status", .of(ingestStatus), default: "'received'")
        Column("row_count", .integer, nullable: true)
        Column("error", .text, nullable: true)
        Column("ingested_at", .timestamptz, default: "now()")
        PrimaryKey("document_id")
        Unique("content_sha256")
    }
    return Database("cleandata", comment: "Oceanid's data pipeline: raw rows, staged extractions, reviewed vessel data.") {
        Schema("raw", comment: "Source files and their rows exactly as fetched, before any parsing.") {
            let sourceFiles = Table("source_files", comment: "One fetched file; the bytes stay in S3.") {
                Column("raw_file_id", .bigint, identity: true)
                Column("source_name", .text, comment: "Who published it (an RFMO, a registry).")
                Column("source_url", .text, nullable: true)
                Column("content_sha256", .bytea, comment: "SHA-256 of the bytes: the same file is stored once.")
                    .check("octet_length(content_sha256) = 32")
                Column("media_type", .text, nullable: true)
                Column("storage_uri", .text, comment: "Where the bytes are (s3://...).")
                Column("fetched_at", .timestamptz, default: "now()")
                PrimaryKey("raw_file_id")
                Unique("content_sha256")
            }
            sourceFiles
            Table("source_rows", comment: "Rows of a source file, unprocessed.") {
                Column("raw_row_id", .bigint, identity: true)
                Column("raw_file_id", .bigint)
                Column("row_number", .integer).check("row_number >= 1")
                Column("payload", .jsonb, comment: "The row as read, column name to text.")
                PrimaryKey("raw_row_id")
                Unique("raw_file_id", "row_number")
                ForeignKey(["raw_file_id"], references: sourceFiles, onDelete: .cascade)
            }
        }
        let stage = Schema("stage", comment: "What the CSV ingestion worker extracted, awaiting review.") {
            ingestStatus
            let reviewStatus = EnumType("review_status", ["pending", "in_review", "approved", "rejected", "escalated"])
            reviewStatus
            let reviewReason = EnumType(
                "review_reason", ["low_confidence", "check_digit_failed", "conflicting_sources", "unmatched_vessel", "new_vessel"])
            reviewReason
            documents
            let extractions = Table("extractions", comment: "One value found in a document, with how sure the extractor is.") {
                Column("extraction_id", .bigint, identity: true)
                Column("document_id", .bigint)
                Column("row_number", .integer, nullable: true)
                Column("field_name", .text)
                Column("entity_label", .text, comment: "The NER label (VESSEL, IMO, MMSI, FLAG, IRCS).")
                Column("raw_value", .text)
                Column("normalized_value", .text, nullable: true)
                Column("confidence", .numeric(4, 3), comment: "0 to 1.").check("confidence BETWEEN 0 AND 1")
                Column("extractor", .text, comment: "A rule id or model@version.")
                created
                PrimaryKey("extraction_id")
                ForeignKey(["document_id"], references: documents, onDelete: .cascade)
                Index("extractions_document_idx", on: ["document_id"])
            }
            extractions
            Table("cleaning_rules", comment: "Normalizations applied to extracted values, by priority.") {
                Column("rule_id", .bigint, identity: true)
                Column("name", .text)
                Column("field_name", .text)
                Column("rule_kind", .text).check("rule_kind IN ('regex_replace', 'lookup', 'trim', 'upper', 'country_alias')")
                Column("pattern", .text, nullable: true)
                Column("replacement", .text, nullable: true)
                Column("priority", .integer, default: "100")
                Column("enabled", .boolean, default: "true")
                PrimaryKey("rule_id")
                Unique("name")
            }
            Table("review_queue", comment: "Extractions a person must confirm before they reach curated.") {
                Column("review_id", .bigint, identity: true)
                Column("extraction_id", .bigint)
                Column("reason", .of(reviewReason))
                Column("status", .of(reviewStatus), default: "'pending'")
                Column("confidence", .numeric(4, 3), nullable: true, comment: "The extraction's confidence when queued.")
                    .check("confidence BETWEEN 0 AND 1")
                Column("label_studio_task_id", .bigint, nullable: true)
                Column("assigned_to", .text, nullable: true)
                created
                Column("decided_at", .timestamptz, nullable: true)
                PrimaryKey("review_id")
                ForeignKey(["extraction_id"], references: extractions, onDelete: .cascade)
                Check("decided", "status NOT IN ('approved', 'rejected') OR decided_at IS NOT NULL")
                Index("review_queue_status_idx", on: ["status"])
            }
        }
        stage
        let curated = Schema("curated", comment: "Reviewed vessel data: the registry BI and PostGraphile read.") {
            let vesselStatus = EnumType("vessel_status", ["active", "laid_up", "scrapped", "lost", "unknown"])
            vesselStatus
            let vesselEventType = EnumType(
                "vessel_event_type", ["name_change", "flag_change", "ownership_change", "call_sign_change", "mmsi_change",
                                      "rfmo_authorized", "rfmo_deauthorized", "iuu_listed", "iuu_delisted", "status_change"])
            vesselEventType
            let flagStates = Table("flag_states", comment: "Flag registry by ISO 3166-1 alpha-3 code (historic codes kept with valid_to).") {
                Column("flag_code", .char(3), comment: "ISO 3166-1 alpha-3.").check("flag_code ~ '^[A-Z]{3}$'")
                Column("name", .text)
                Column("valid_to", .date, nullable: true, comment: "Set for codes no longer assigned.")
                PrimaryKey("flag_code")
            }
            flagStates
            let vessels = Table("vessels", comment: "IMO registry: one golden record per hull.") {
                Column("vessel_id", .bigint, identity: true)
                Column("imo_number", .integer, nullable: true, comment: "IMO ship number: 7 digits, the last a check digit.")
                    .check(imoCheckDigit)
                Column("name", .text)
                Column("flag_code", .char(3), nullable: true)
                Column("mmsi", .char(9), nullable: true, comment: "Maritime Mobile Service Identity: 9 digits.").check("mmsi ~ '^[0-9]{9}$'")
                Column("call_sign", .text, nullable: true)
                Column("status", .of(vesselStatus), default: "'active'")
                Column("updated_at", .timestamptz, default: "now()")
                PrimaryKey("vessel_id")
                Unique("imo_number")
                ForeignKey(["flag_code"], references: flagStates)
                Index("vessels_flag_idx", on: ["flag_code"])
                Index("vessels_mmsi_idx", on: ["mmsi"])
            }
            vessels
            let rfmos = Table("rfmos", comment: "Regional fisheries management organisations (ICCAT, IOTC, WCPFC, ...).") {
                Column("rfmo_code", .text).check("rfmo_code ~ '^[A-Z]{3,8}$'")
                Column("name", .text)
                PrimaryKey("rfmo_code")
            }
            rfmos
            Table("rfmo_vessels", comment: "Vessels as an RFMO lists them (authorized, IUU, carriers).") {
                Column("rfmo_vessel_id", .bigint, identity: true)
                Column("rfmo_code", .text)
                Column("rfmo_vessel_ref", .text, comment: "The RFMO's own identifier.")
                Column("vessel_id", .bigint, nullable: true, comment: "Set once matched to the registry.")
                Column("reported_name", .text)
                Column("reported_imo", .integer, nullable: true)
                Column("reported_flag_code", .char(3), nullable: true)
                Column("authorized_from", .date, nullable: true)
                Column("authorized_to", .date, nullable: true)
                PrimaryKey("rfmo_vessel_id")
                Unique("rfmo_code", "rfmo_vessel_ref")
                ForeignKey(["rfmo_code"], references: rfmos)
                ForeignKey(["vessel_id"], references: vessels, onDelete: .setNull)
                Check("authorized", "authorized_to IS NULL OR authorized_to >= authorized_from")
            }
            Table("vessel_events", comment: "What changed on a vessel and when (valid time), with where it was learned.") {
                Column("event_id", .bigint, identity: true)
                Column("vessel_id", .bigint)
                Column("event_type", .of(vesselEventType))
                Column("effective_from", .date)
                Column("effective_to", .date, nullable: true)
                Column("old_value", .text, nullable: true)
                Column("new_value", .text, nullable: true)
                Column("confidence", .numeric(4, 3), nullable: true).check("confidence BETWEEN 0 AND 1")
                Column("recorded_at", .timestamptz, default: "now()", comment: "When it was recorded (transaction time).")
                PrimaryKey("event_id")
                ForeignKey(["vessel_id"], references: vessels, onDelete: .cascade)
                Check("effective", "effective_to IS NULL OR effective_to >= effective_from")
                Index("vessel_events_vessel_from_idx", on: ["vessel_id", "effective_from"])
            }
        }
        curated
        let label = Schema("label", comment: "Label Studio's projects and tasks mapped to pipeline rows.") {
            let lsProjects = Table("ls_projects", comment: "A Label Studio project.") {
                Column("ls_project_id", .bigint, comment: "Label Studio's own id.")
                Column("name", .text)
                PrimaryKey("ls_project_id")
            }
            lsProjects
            Table("task_links", comment: "A Label Studio task and the document (and extraction) it shows.") {
                Column("ls_task_id", .bigint, comment: "Label Studio's own id.")
                Column("ls_project_id", .bigint)
                Column("document_id", .bigint)
                Column("extraction_id", .bigint, nullable: true)
                PrimaryKey("ls_task_id")
                ForeignKey(["ls_project_id"], references: lsProjects)
                ForeignKey(["document_id"], references: documents, in: stage)
            }
        }
        label
        Schema("control", comment: "Schema versions of each pipeline domain (the migrations record themselves here).") {}
        // The URLs kept in ESC and the roles they log in as. `postgres` is CrunchyBridge's superuser (the seeds:
        // "superuser for migrations"): for migrations, never for a service. Roles and schemas are values: grants take them.
        let biReadonly = DatabaseRole("bi_readonly", comment: "Read-only BI: members may read curated.")
        let postgraphile = DatabaseRole("postgraphile", login: true, comment: "PostGraphile's login: reads curated, stage and label.")
        let worker = DatabaseRole("csv_ingestion_worker", login: true, comment: "The CSV ingestion worker's login: writes stage.")
        ConnectionURL(Settings.cleandataDbUrl, as: "postgres", authority: .superuser)
        ConnectionURL(Settings.cleandataPostgraphileUrl, as: postgraphile)
        ConnectionURL(Settings.cleandataCsvIngestionWorkerUrl, as: worker)
        biReadonly
        Grant([.usage], on: .schema(curated), to: biReadonly)
        Grant([.select], on: .allTables(in: curated), to: biReadonly)
        // PostGraphile (--schema curated,stage,label) reads those schemas as its own role.
        postgraphile
        Grant([.connect], on: .database, to: postgraphile)
        for schema in [curated, stage, label] {
            Grant([.usage], on: .schema(schema), to: postgraphile)
            Grant([.select], on: .allTables(in: schema), to: postgraphile)
        }
        // The CSV ingestion worker writes stage.* (documents, extractions, cleaning_rules, review_queue) and moves rows
        // through their statuses; it deletes nothing (a re-upload is `superseded`) and reads no other schema. Identity
        // columns need no sequence privilege: the implicit nextval is not permission-checked (PostgreSQL's
        // src/backend/executor/execExprInterp.c, ExecEvalNextValueExpr calls nextval_internal with check_permissions false).
        worker
        Grant([.connect], on: .database, to: worker)
        Grant([.usage], on: .schema(stage), to: worker)
        Grant([.select, .insert, .update], on: .allTables(in: stage), to: worker)
    }
}

/// Label Studio's database: it migrates its own tables; the fleet owns its user and what
/// that user may do (CONNECT, CREATE, TEMPORARY on the database). The database itself is
/// created by CrunchyBridge with this role as its owner, so it may create tables in `public`
/// (which PostgreSQL 15 no longer lets everyone do).
func labelfish() -> Database {
    Database("labelfish", ownedBy: "Label Studio", comment: "Label Studio's own tables (it migrates them itself).") {
        // Label Studio migrates its own tables, so its URL's role owns the database.
        let owner =
            DatabaseRole("labelfish_owner", login: true, comment: "Label Studio's database user; its password is set by CrunchyBridge.")
        Grant([.connect, .create, .temporary], on: .database, to: owner)
        owner
        ConnectionURL(Settings.labelStudioDbUrl, as: owner, authority: .owner)
    }
}

/// The CrunchyBridge network firewall: only the egress node's public IP may reach the
/// databases (every app goes out through egress-db-proxy, pinned there). The fleet has
/// exclusive control of the list: oceanid-apply removes any other rule (srv712695's old
/// 191.101.1.3/32 among them).
func databaseFirewall(_ s: SettingValues) -> DatabaseFirewall {
    DatabaseFirewall(network: s[Settings.crunchyBridgeNetworkId], apiKey: Settings.crunchyBridgeApiKey,
                     host: s[Settings.crunchyBridgeHost]) {
        FirewallSource(Nodes(s).controlPlane, description: "srv712429-oceanid egress gateway")
    }
}
