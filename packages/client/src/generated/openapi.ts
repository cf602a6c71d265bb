// generated — do not edit.
// Source: packages/platform/openapi.yaml; regenerate with `pnpm --filter @jiexu/client run generate`
// (openapi-typescript). The generated-files check fails when this file is stale.

export interface paths {
    "/v1/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a transfer message
         * @description Accepts one envelope. `source` + `id` is the idempotency key: sending
         *     the same source and id again with the same content answers **200** with
         *     the original acceptance (same `receivedAt`), and nothing is delivered
         *     twice. "Same content" compares the SHA-256 of the body's canonical JSON
         *     (object keys sorted, no insignificant whitespace), so re-serialising
         *     the same envelope is still a replay. The same key with different
         *     content → 409.
         *     On acceptance the message, one inbox row per receiver and the webhook
         *     outbox rows are written in one transaction.
         *     Any supported version of the standard is accepted; the message is validated in the
         *     version its `standardversion` declares. A case keeps the version it started with: the
         *     opening message's `caseversion` is stored, and every later message of the case must
         *     carry the same `caseversion` (it may be written in a newer `standardversion`).
         */
        post: operations["sendMessage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Pull the authenticated institution's inbox
         * @description Messages addressed to the caller, in cursor order. Without `after`, starts after the
         *     last acknowledged cursor. Cursors are opaque decimal strings, strictly increasing per
         *     inbox; pass `next` as `after` for the following page.
         *     Each envelope is delivered in the version of the standard the caller declared in the
         *     directory (`standardVersion`), converted from the version it was sent in when they differ
         *     (`migration` says how, and what was dropped); `caseversion` is never rewritten and the
         *     stored message is never altered.
         */
        get: operations["getInbox"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/ack": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Acknowledge every message up to and including a cursor
         * @description Acknowledgement only moves forward; acknowledging an older cursor is a no-op. Acked messages are no longer returned when `after` is omitted.
         *     `receipts` (optional): for messages up to `upTo`, receipts signed by the caller over each message's digest
         *     (`signReceipt` in @jiexu/client; docs/platform.md, Receipts). Each is checked — the caller's key valid at the
         *     signing time, the message in its inbox up to `upTo`, the digest equal to the message's as accepted — and kept
         *     with an audit entry; any that fails → 422 `invalid-receipt` and nothing (not even the ack) is stored.
         */
        post: operations["ackInbox"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/institutions/{institutionId}/inbox": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Pull a named institution's inbox (only your own)
         * @description Same as GET /v1/inbox, naming the institution. Any id other than the authenticated institution's → 403 `forbidden`.
         */
        get: operations["getInstitutionInbox"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/cases": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Cases the caller is party to */
        get: operations["listCases"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/cases/{caseId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One case with its timeline, current step and deadline */
        get: operations["getCase"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/statistics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Pension transfers in and out of the caller's region per year, with the funds (the report's table 8)
         * @description A transfer is a `pension.transfer-info` the platform accepted, out for its `fromRegion` and in for its `toRegion`, in the year (China time) it was received; funds are its `totalTransferFen`. An institution sees its own region; the operator reads every region from the database (`jiexu stats --operator`).
         */
        get: operations["getStatistics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/cases/{caseId}/receipts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The receipts of a case's messages, signed by their receivers
         * @description Every receipt kept for the case's messages (any party may read them; the sender fetches its proof of receipt here). Verify each with `verifyReceipt` of @jiexu/client against the receiver's directory keys.
         */
        get: operations["getCaseReceipts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/cases/{caseId}/bundle": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The case as evidence, verifiable offline
         * @description Everything needed to check the case without the platform (`jiexu case export`, then `jiexu verify`
         *     or `verifyBundle` of @jiexu/client): every message as stored with its sender's signature and
         *     digest, every receipt, the directory keys of every institution that signed, and the case's audit
         *     entries with the chain's hashes and the chain head at export. Only parties of the case.
         */
        get: operations["getCaseBundle"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Audit entries of your cases, with the hash chain
         * @description The entries of the audit trail the caller may read — those of the cases it is party to and those
         *     about itself (its directory entry, its inbox reads and acknowledgements) — in chain order, each with
         *     the text that was hashed, the previous entry's hash and its own
         *     (hash = SHA-256 hex of prevHash + "\n" + entry). `head` is the chain's last index and hash.
         *     The operator reads and checks the whole chain with `jiexu platform audit --check`.
         */
        get: operations["getAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/platform/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The platform's own signing keys
         * @description The platform (`100000-platform`) signs the envelopes it generates (reminders, duplicate notices) like an institution; verify them against these keys (with validity periods, like a directory entry).
         */
        get: operations["getPlatformKeys"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/institutions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The institution directory */
        get: operations["listInstitutions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/institutions/{institutionId}/webhook": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Set or clear the caller's webhook (own institution only)
         * @description When set, every message delivered to the institution's inbox is also POSTed to `url`
         *     (body `InboxMessage`, in the institution's declared version like an inbox read; headers `X-Jiexu-Webhook-Cursor: <cursor>` and
         *     `X-Jiexu-Webhook-Signature: sha256=<hex HMAC-SHA256 of the body with secret>` when a secret
         *     is set). Pushes are at-least-once (the cursor identifies duplicates). Any 2xx answer counts as delivered; otherwise the
         *     platform retries with exponential backoff (1 s doubling, capped at 5 min, at most 8 attempts).
         *     The inbox stays the source of truth: webhook delivery never replaces pull + ack.
         *     `url: null` clears the webhook.
         */
        put: operations["setWebhook"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/console/challenge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A single-use sign-in challenge for the console (docs/console.md)
         * @description Open (no authentication). The challenge lives 120 s on the platform's clock and signs in once. At most 10,000 unused challenges are outstanding at once (429 beyond).
         */
        post: operations["consoleChallenge"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/console/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who is signed in, until when */
        get: operations["consoleSession"];
        put?: never;
        /**
         * Sign in to the console with a signed challenge; sets the session cookie
         * @description The browser signs the statement `{"type":"jiexu.console-signin","principal":…,"challenge":…,"origin":…}`
         *     (`origin` = the page's origin, which must equal the request's `Origin` header) as a detached
         *     JWS (RFC 7515 Appendix F) with `typ` `jiexu-console-signin+jws`, EdDSA, `kid` the RFC 7638
         *     thumbprint of the key, over its RFC 8785 form — the same construction as envelope
         *     signatures (docs/standard/signatures.md). `principal` is an institution id (one of its
         *     current keys) or `100000-platform` (an operator console key). The answer sets
         *     `jiexu_console` (HttpOnly, SameSite=Strict, Path=/v1/console, Max-Age=1800, Secure over TLS).
         */
        post: operations["consoleSignIn"];
        /** Sign out (ends the session on the platform and clears the cookie) */
        delete: operations["consoleSignOut"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/console/cases": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Cases by state and step, with filters
         * @description An institution sees the cases it is party to (person unmasked); the operator every case (person masked). `byStateAndStep` counts every case the filters match; `cases` is the most recently updated `limit` of them.
         */
        get: operations["consoleCases"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/console/overdue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Overdue steps by the region whose move it is and by step, with their deadlines on the official calendar */
        get: operations["consoleOverdue"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/console/cases/{caseId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One case's timeline — each message, the deadline it answered, late or not (the read is audited) */
        get: operations["consoleCase"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/console/cases/{caseId}/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit trail of a case (objects and details masked unless the case is the viewer's) */
        get: operations["consoleCaseAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/console/directory": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The institution directory per province, with connection status, last message seen, standard version read and the connected prefectures */
        get: operations["consoleDirectory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/console/statistics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Transfers in and out per region and year with the funds (GET /v1/statistics; the operator sees every region) */
        get: operations["consoleStatistics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["metrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["openapi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * @description A transfer message: CloudEvents 1.0 attribute names plus the routing header.
         *     The normative schema is schemas/1.0/envelope/envelope.schema.json; this is its shape for clients.
         */
        Envelope: {
            /** @constant */
            specversion: "1.0";
            /** @description Unique per source; with source the idempotency key. */
            id: string;
            /** @description urn:jiexu:institution:<institutionId>; must name the authenticated institution. */
            source: string;
            /** @description cn.jiexu.<message>.v<major>, e.g. cn.jiexu.transfer.contact-letter.v1 */
            type: string;
            /** Format: date-time */
            time: string;
            /** @description The person the message is about (identifier may be masked in logs). */
            subject?: string;
            /** @description URI of the exact schema of `data`. */
            dataschema?: string;
            /** @constant */
            datacontenttype?: "application/json";
            /** @description Sending institution id; must equal the authenticated institution. */
            sender: string;
            receivers: string[];
            /** @description <opening institution id>:<its reference>; a case opened by a message must carry the sender's own prefix. */
            caseid: string;
            /** @description A case-type code of catalogue/case-types.json */
            casetype: string;
            /** @description The standard version (major.minor) the case started with; every message of the case keeps it. */
            caseversion?: string;
            /** @description id of the message this one answers (same case). */
            inreplyto?: string;
            standardversion: string;
            /** @description The message body; validated against dataschema. */
            data: Record<string, unknown>;
        } & {
            [key: string]: unknown;
        };
        Acceptance: {
            id: string;
            source: string;
            caseId: string;
            /** @constant */
            status: "accepted";
            /** Format: date-time */
            receivedAt: string;
            /**
             * @description Present (first acceptance only) when a receiver reads an older version of the standard in
             *     which part of this message cannot be said: per such receiver, each value its copy will lack
             *     (warnings `migration-value-dropped`, pointers into the envelope). The message is accepted
             *     and stored as sent.
             */
            losses?: {
                receiver: string;
                standardVersion: string;
                issues: components["schemas"]["Issue"][];
            }[];
        };
        TransferStatistics: {
            /** @description The pooling region. */
            region: string;
            /** @description The year the platform received the information forms */
            year: number;
            transfersIn: number;
            transfersOut: number;
            /** @description Sum of totalTransferFen received */
            fundsInFen: number;
            /** @description Sum of totalTransferFen sent */
            fundsOutFen: number;
        };
        InboxMessage: {
            cursor: string;
            /** @description The message in the receiver's declared version of the standard. */
            envelope: components["schemas"]["Envelope"];
            /** Format: date-time */
            receivedAt: string;
            migration?: components["schemas"]["DeliveryMigration"];
            /** @description The sender's detached JWS over the envelope as sent (messages the platform generates are signed with its key, GET /v1/platform/keys; null only for messages stored before signatures existed). */
            signature: string | null;
            /** @description The envelope as sent and signed, present when `envelope` is a converted copy (`migration`). */
            signedEnvelope?: {
                [key: string]: unknown;
            };
        };
        /**
         * @description Present only when the message was sent in another version of the standard than the receiver
         *     reads: the envelope was converted with `migrate()` of @jiexu/versioning. When `lossless` is
         *     false, `issues` names each value the receiver's version cannot carry (warning
         *     `migration-value-dropped`, with its JSON Pointer in the envelope and the dropped value).
         *     `error` is set when no conversion exists (another major version): the envelope is delivered as sent.
         */
        DeliveryMigration: {
            /** @description The version the message was sent in (`standardversion` as stored). */
            from: string;
            /** @description The receiver's declared version. */
            to: string;
            lossless: boolean;
            issues: components["schemas"]["Issue"][];
            error?: string;
        };
        InboxPage: {
            messages: components["schemas"]["InboxMessage"][];
            /** @description Cursor to pass as `after` for the next page (the last cursor of this page; the request's position when the page is empty). */
            next: string | null;
        };
        AckRequest: {
            upTo: string;
            receipts?: components["schemas"]["SignedReceipt"][];
        };
        AckResult: {
            ackedUpTo: string;
            /** @description The receipts kept by this call (a message's first receipt counts; repeats are not listed). */
            receipts?: components["schemas"]["Receipt"][];
        };
        Receipt: {
            /** @constant */
            type: "jiexu.receipt";
            receiver: string;
            caseId: string;
            message: {
                source: string;
                id: string;
                /** @description SHA-256 hex of the envelope's RFC 8785 form (as sent). */
                digest: string;
            };
            /** Format: date-time */
            acknowledgedAt: string;
        };
        SignedReceipt: {
            receipt: components["schemas"]["Receipt"];
            /** @description The receiver's detached JWS over the receipt's RFC 8785 form (typ jiexu-receipt+jws). */
            signature: string;
        };
        StoredReceipt: components["schemas"]["SignedReceipt"] & {
            /** Format: date-time */
            storedAt: string;
        };
        Institution: {
            id: string;
            name: string;
            /** @description Pooling region (GB/T 2260 code). */
            region: string;
            schemes: string[];
            /** @description The current keys (any of them authenticates a request). */
            publicKeys: string[];
            /** @description Every key the institution has had, with its validity period; envelope signatures and receipts are checked against these. */
            keys: components["schemas"]["DirectoryKey"][];
            /** @enum {string} */
            status: "active" | "disabled";
            /** @description The version of the standard the institution reads; its inbox and webhook deliver every message in it (default 1.0). */
            standardVersion: string;
            webhook?: {
                /** Format: uri */
                url?: string;
            } | null;
        };
        AuditEntry: {
            /** @description Position in the chain (1 */
            index: string;
            /** Format: date-time */
            at: string;
            /** @description An institution id, `operator`, or `100000-platform`. */
            actor: string;
            /** @description e.g. message.accept, case.open, case.state, receipt.accept, inbox.read, inbox.ack, institution.add-key. */
            action: string;
            object: string;
            caseId: string | null;
            detail: {
                [key: string]: unknown;
            };
            /** @description The exact text that was hashed (JSON of the fields above). */
            entry: string;
            prevHash: string;
            hash: string;
        };
        ChainHead: {
            index: string;
            hash: string;
        };
        CaseBundle: {
            /** @constant */
            format: "jiexu-case-bundle/1";
            caseId: string;
            /** Format: date-time */
            exportedAt: string;
            messages: {
                /** @description The envelope as stored (as sent). */
                envelope: {
                    [key: string]: unknown;
                };
                /** @description The sender's detached JWS (null for platform-generated messages). */
                signature: string | null;
                /** @description SHA-256 hex of the envelope's RFC 8785 form at acceptance. */
                digest: string | null;
                /** Format: date-time */
                receivedAt: string;
            }[];
            receipts: components["schemas"]["StoredReceipt"][];
            /** @description Institution id → its directory keys (with validity periods). */
            keys: {
                [key: string]: components["schemas"]["DirectoryKey"][];
            };
            audit: components["schemas"]["AuditEntry"][];
            head: components["schemas"]["ChainHead"];
        };
        DirectoryKey: {
            /** @description RFC 7638 JWK thumbprint (SHA-256 */
            kid: string;
            /** @description Ed25519 public key */
            publicKey: string;
            /**
             * Format: date-time
             * @description Start of the validity period (null: since registration).
             */
            notBefore: string | null;
            /**
             * Format: date-time
             * @description End of the validity period, exclusive (null: still valid).
             */
            notAfter: string | null;
        };
        WebhookRequest: {
            /** Format: uri */
            url: string | null;
            secret?: string;
        };
        Step: {
            /** @description Step id from the case catalogue. */
            name: string;
            /** @description Institution(s) whose move it is. */
            awaiting: string[];
            /** @description Message types that complete the step. */
            expects: string[];
            /** Format: date-time */
            startedAt: string;
            workingDays: number | null;
            /**
             * Format: date
             * @description Last working day (Asia/Shanghai) for the step.
             */
            deadline: string | null;
            /** @description True when the calendar does not cover the year (weekends-only estimate). */
            deadlineEstimated: boolean;
            overdue: boolean;
        };
        TimelineEntry: {
            id: string;
            source: string;
            type: string;
            sender: string;
            receivers: string[];
            inreplyto: string | null;
            /** @description The case's state once this message was accepted. */
            stateAfter: string;
            /** Format: date-time */
            receivedAt: string;
            /**
             * Format: date
             * @description The deadline of the case step this message answered (null when it answered none).
             */
            dueOn?: string | null;
            /** @description True when the message answered its step after the deadline (China date). */
            late?: boolean;
        };
        CaseSummary: {
            caseId: string;
            caseType: string;
            standardVersion: string;
            /** @description A state code of the case type in the catalogue (e.g. applied */
            state: string;
            /** @description True once the state is final or the case was closed by admin.close; no further message is accepted. */
            closed: boolean;
            /** @description Institutions party to the case (the platform not included). */
            parties: string[];
            /** @description Institution id → role in the case (old, new, platform, region), bound from the catalogue's from/to when messages arrive. */
            roles: {
                [key: string]: string;
            };
            /** Format: date-time */
            openedAt: string;
            /** Format: date-time */
            updatedAt: string;
            currentStep: components["schemas"]["Step"] | null;
        };
        Case: components["schemas"]["CaseSummary"] & {
            timeline: components["schemas"]["TimelineEntry"][];
        };
        /** @description One validation issue (packages/standard/src/report.ts). */
        Issue: {
            /** @enum {string} */
            severity: "fatal" | "error" | "warning" | "information";
            code: string;
            message: {
                zh: string;
                en: string;
            };
            pointer?: string;
            location?: Record<string, unknown>;
            value?: unknown;
        };
        Report: {
            valid: boolean;
            issues: components["schemas"]["Issue"][];
        };
        /** @description Every error answer. For 422 `report` lists every issue (validation issues from the standard, or `case-*` issues saying why the message does not fit its case). */
        Problem: {
            /**
             * @description Stable kebab-case code; its zh/en labels are `PROBLEM_CODES` of @jiexu/client (a client should show a code it does not know as it is).
             * @enum {string}
             */
            error: "bad-request" | "unauthorized" | "forbidden" | "sender-mismatch" | "not-found" | "idempotency-conflict" | "case-conflict" | "body-too-large" | "uri-too-long" | "unsupported-media-type" | "invalid-message" | "case-mismatch" | "invalid-signature" | "invalid-receipt" | "internal-error" | "unavailable";
            message: string;
            report?: components["schemas"]["Report"];
        };
        Label: {
            zh: string;
            en: string;
        };
        ConsoleSession: {
            viewer: {
                /** @constant */
                kind: "institution";
                id: string;
                region: string;
                name: string;
            } | {
                /** @constant */
                kind: "operator";
                /** @constant */
                id: "100000-platform";
            };
            /** @description The key that signed in; the session ends when it is removed. */
            kid: string;
            /** Format: date-time */
            expiresAt: string;
        };
        ConsolePerson: {
            /** @description 公民身份号码; masked (110105********002X) unless the case is the viewer's. */
            id: string | null;
            /** @description Masked to its first character unless the case is the viewer's. */
            name: string | null;
            masked: boolean;
        };
        CalendarSpan: {
            /** @description Calendar days after the step's start up to the deadline. */
            calendarDays: number;
            /** @description Weekends and public holidays skipped (official calendar). */
            nonWorkingDays: string[];
            /** @description Weekend days that are working days (调休). */
            workedWeekendDays: string[];
        };
        ConsoleCase: {
            caseId: string;
            caseType: string;
            caseTypeLabel: components["schemas"]["Label"];
            standardVersion: string;
            state: string;
            stateLabel: components["schemas"]["Label"];
            closed: boolean;
            /** @description The viewer is party to the case (personal identifiers shown). */
            own: boolean;
            parties: {
                id: string;
                role: string;
                roleLabel: components["schemas"]["Label"];
                region: string | null;
            }[];
            person: components["schemas"]["ConsolePerson"] | null;
            /** Format: date-time */
            openedAt: string;
            /** Format: date-time */
            updatedAt: string;
            step: null | {
                name: string;
                expects: {
                    message: string;
                    label: components["schemas"]["Label"];
                }[];
                awaiting: string[];
                /** Format: date-time */
                startedAt: string;
                workingDays: number | null;
                /** Format: date */
                deadline: string | null;
                deadlineEstimated: boolean;
                overdue: boolean;
            };
        };
    };
    responses: {
        /** @description Malformed request (not JSON, bad parameter). Error `bad-request`. */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Problem"];
            };
        };
        /** @description Missing or bad authentication headers, clock skew > 300 s, unknown or disabled institution, bad signature. Error `unauthorized`. */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Problem"];
            };
        };
        /** @description Authenticated, but not allowed to see or change this resource. Error `forbidden`. */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Problem"];
            };
        };
        /** @description No such resource. Error `not-found`. */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Problem"];
            };
        };
        /** @description A fault of the platform, never of the request (no input is answered with a 5xx; the platform log says what failed). Sending the same message again is safe (idempotent). Error `internal-error`. */
        InternalError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Problem"];
            };
        };
        /** @description A path parameter (as sent, percent-encoded) is longer than 256 characters; refused by the router before authentication. Error `uri-too-long`. */
        UriTooLong: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Problem"];
            };
        };
        /** @description No console session, or it ended (expired, signed out, key removed, institution disabled); for sign-in, a challenge unknown, used or expired, or a signature that does not verify. Error `unauthorized`. */
        ConsoleUnauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Problem"];
            };
        };
    };
    parameters: {
        InstitutionId: string;
        /** @description Return messages with a cursor strictly greater than this one. */
        After: string;
        Limit: number;
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    sendMessage: {
        parameters: {
            query?: never;
            header: {
                /** @description The sender's detached JWS over the envelope's RFC 8785 form (see Signed envelopes). */
                "X-Jiexu-Envelope-Signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Envelope"];
            };
        };
        responses: {
            /** @description Idempotent replay — this exact message was already accepted; the original acceptance is returned. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Acceptance"];
                };
            };
            /** @description Accepted (first time this source + id was seen). */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Acceptance"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            /** @description `sender` (or `source`) is not the authenticated institution (error `sender-mismatch`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description `idempotency-conflict`: the same source + id was already accepted with a different body; or
             *     `case-conflict`: the message does not fit its case's current state (e.g. the case is closed,
             *     the case changed while the message was accepted, or its `caseversion` differs from the
             *     version the case started with).
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description Body larger than the platform's limit (default 1 MiB, `--body-limit`). Error `body-too-large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description Content type is not application/json. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description `invalid-message`: the envelope or its data does not validate against the standard — `report`
             *     holds every issue; or `case-mismatch`: the message type does not belong to the case type, cannot
             *     open a case, does not answer a message of this case, names receivers not party to it or not in
             *     the directory (`unknown-receiver`) — `report` holds one issue per reason (codes `case-*`); or
             *     `invalid-signature`: the envelope signature is missing, malformed, names no key of the sender,
             *     was made with a key outside its validity period, does not match the content, or was made more
             *     than 300 s from the platform's clock — `report` holds one issue (codes `envelope-signature-*`).
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            500: components["responses"]["InternalError"];
        };
    };
    getInbox: {
        parameters: {
            query?: {
                /** @description Return messages with a cursor strictly greater than this one. */
                after?: components["parameters"]["After"];
                limit?: components["parameters"]["Limit"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of messages. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InboxPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
        };
    };
    ackInbox: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AckRequest"];
            };
        };
        responses: {
            /** @description The inbox's acknowledged position after this call. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AckResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            /** @description A receipt does not verify or does not fit a message of the inbox (error `invalid-receipt`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getInstitutionInbox: {
        parameters: {
            query?: {
                /** @description Return messages with a cursor strictly greater than this one. */
                after?: components["parameters"]["After"];
                limit?: components["parameters"]["Limit"];
            };
            header?: never;
            path: {
                institutionId: components["parameters"]["InstitutionId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of messages. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InboxPage"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            414: components["responses"]["UriTooLong"];
        };
    };
    listCases: {
        parameters: {
            query?: {
                /** @description true → only open cases whose current step is past its deadline. */
                overdue?: boolean;
                /** @description open → cases not closed; closed → closed cases. */
                state?: "open" | "closed";
                limit?: components["parameters"]["Limit"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Cases, most recently updated first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        cases: components["schemas"]["CaseSummary"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
        };
    };
    getCase: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The case. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Case"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            414: components["responses"]["UriTooLong"];
        };
    };
    getStatistics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One row per year with transfers in the caller's region, oldest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statistics: components["schemas"]["TransferStatistics"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
        };
    };
    getCaseReceipts: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The receipts, in message order. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseId: string;
                        receipts: components["schemas"]["StoredReceipt"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            414: components["responses"]["UriTooLong"];
        };
    };
    getCaseBundle: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The bundle. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CaseBundle"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            414: components["responses"]["UriTooLong"];
        };
    };
    getAudit: {
        parameters: {
            query?: {
                caseId?: string;
                /** @description Entries after this chain index. */
                after?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of entries. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        entries: components["schemas"]["AuditEntry"][];
                        /** @description Pass as `after` for the next page (null: no more). */
                        next: string | null;
                        head: components["schemas"]["ChainHead"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
        };
    };
    getPlatformKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The platform's keys. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        id: "100000-platform";
                        keys: components["schemas"]["DirectoryKey"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
        };
    };
    listInstitutions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every registered institution (public data only; `webhook` is null except for the caller's own entry, and secrets are never shown). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        institutions: components["schemas"]["Institution"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
        };
    };
    setWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                institutionId: components["parameters"]["InstitutionId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookRequest"];
            };
        };
        responses: {
            /** @description Stored. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Institution"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            414: components["responses"]["UriTooLong"];
        };
    };
    consoleChallenge: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The challenge to sign. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description 32 random bytes */
                        challenge: string;
                        /** Format: date-time */
                        expiresAt: string;
                        /** @constant */
                        platform: "100000-platform";
                    };
                };
            };
            /** @description Too many sign-ins under way. Error `too-many-requests`. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    consoleSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The session. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsoleSession"];
                };
            };
            401: components["responses"]["ConsoleUnauthorized"];
        };
    };
    consoleSignIn: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    principal: string;
                    challenge: string;
                    /** @description BASE64URL(header)..BASE64URL(signature) */
                    signature: string;
                };
            };
        };
        responses: {
            /** @description Signed in. */
            200: {
                headers: {
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsoleSession"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["ConsoleUnauthorized"];
        };
    };
    consoleSignOut: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Signed out (also when there was no session). */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    consoleCases: {
        parameters: {
            query?: {
                /** @description A party in this region; a province (360000) or prefecture (360100) takes in the regions under it. */
                region?: string;
                /** @description Case types of this 险种 (catalogue). */
                scheme?: string;
                caseType?: string;
                /** @description A state code of the case type. */
                state?: string;
                /** @description A message the current step expects */
                step?: string;
                closed?: boolean;
                overdue?: boolean;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Counts and cases. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * Format: date
                         * @description The platform's date in China.
                         */
                        today: string;
                        /** @description The scheme code list (for a filter). */
                        schemes: {
                            code: string;
                            label: components["schemas"]["Label"];
                        }[];
                        total: number;
                        byStateAndStep: {
                            caseType: string;
                            state: string;
                            stateLabel: components["schemas"]["Label"];
                            step: string | null;
                            stepLabel: components["schemas"]["Label"] | null;
                            cases: number;
                            overdue: number;
                        }[];
                        cases: components["schemas"]["ConsoleCase"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["ConsoleUnauthorized"];
        };
    };
    consoleOverdue: {
        parameters: {
            query?: {
                region?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One group per region and step. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date */
                        today: string;
                        groups: {
                            region: string;
                            regionLabel: components["schemas"]["Label"];
                            step: string;
                            stepLabel: components["schemas"]["Label"];
                            steps: {
                                caseId: string;
                                caseType?: string;
                                caseTypeLabel?: components["schemas"]["Label"];
                                state?: string;
                                stateLabel?: components["schemas"]["Label"];
                                awaiting: string;
                                person?: components["schemas"]["ConsolePerson"] | null;
                                /** Format: date-time */
                                startedAt?: string;
                                workingDays?: number | null;
                                /** Format: date */
                                deadline: string;
                                deadlineEstimated?: boolean;
                                /** @description Working days after the deadline up to today. */
                                overdueWorkingDays: number;
                                calendar: components["schemas"]["CalendarSpan"];
                            }[];
                        }[];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["ConsoleUnauthorized"];
        };
    };
    consoleCase: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The case and its messages. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date */
                        today: string;
                        case: components["schemas"]["ConsoleCase"];
                        calendar: components["schemas"]["CalendarSpan"] | null;
                        timeline: {
                            id: string;
                            type: string;
                            message: string;
                            label: components["schemas"]["Label"];
                            sender: string;
                            receivers: string[];
                            inreplyto?: string | null;
                            stateAfter?: string;
                            stateAfterLabel?: components["schemas"]["Label"];
                            /** Format: date-time */
                            receivedAt: string;
                            /** Format: date */
                            receivedOn: string;
                            /** Format: date */
                            dueOn: string | null;
                            late: boolean;
                            workingDaysLate: number;
                            digest?: string | null;
                        }[];
                    };
                };
            };
            401: components["responses"]["ConsoleUnauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            414: components["responses"]["UriTooLong"];
        };
    };
    consoleCaseAudit: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The case's audit entries in chain order. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseId: string;
                        masked: boolean;
                        entries: {
                            index: string;
                            /** Format: date-time */
                            at: string;
                            actor: string;
                            action: string;
                            object: string;
                            detail: unknown;
                            hash: string;
                            prevHash: string;
                        }[];
                    };
                };
            };
            401: components["responses"]["ConsoleUnauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            414: components["responses"]["UriTooLong"];
        };
    };
    consoleDirectory: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One entry per province that has an institution. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        provinces: {
                            province: string;
                            provinceLabel: components["schemas"]["Label"];
                            /** @description Prefectures (GB/T 2260) with an active institution at prefecture or county level. */
                            connectedPrefectures: number;
                            totalPrefectures: number;
                            prefectures: {
                                code: string;
                                label: components["schemas"]["Label"];
                                connected: boolean;
                                institutions: string[];
                            }[];
                            /** @description Active institutions at province level. */
                            provincial: string[];
                            institutions: {
                                id: string;
                                name: string;
                                region: string;
                                regionLabel?: components["schemas"]["Label"];
                                schemes: string[];
                                /** @enum {string} */
                                status: "active" | "disabled";
                                connected: boolean;
                                standardVersion: string;
                                /** Format: date-time */
                                lastMessageAt: string | null;
                                messagesSent: number;
                                /** Format: date-time */
                                lastInboxDeliveryAt?: string | null;
                                ackedUpTo?: string | null;
                                /** @description Only the viewer's own (the operator sees all). */
                                webhook?: Record<string, unknown> | null;
                                self?: boolean;
                            }[];
                        }[];
                    };
                };
            };
            401: components["responses"]["ConsoleUnauthorized"];
        };
    };
    consoleStatistics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Rows per region and year. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The viewer's region */
                        scope: string;
                        statistics: (components["schemas"]["TransferStatistics"] & {
                            regionLabel?: components["schemas"]["Label"];
                        })[];
                    };
                };
            };
            401: components["responses"]["ConsoleUnauthorized"];
        };
    };
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Up and the database answers. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok";
                        /** @enum {string} */
                        storage?: "postgres" | "pglite";
                    };
                };
            };
            /** @description The database does not answer. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    metrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text exposition format 0.0.4. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
        };
    };
    openapi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description This document as JSON. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, unknown>;
                };
            };
        };
    };
}
