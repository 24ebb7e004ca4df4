-- 004_social_bursts: coordinated bursts of near-duplicate negative social posts (voc/bursts.py).
-- Posts in a burst are flagged, never dropped: they stay in feedback, clauses and every view, and
-- these two tables say which ones look coordinated. Both are replaced as a whole by each detection
-- run (voc.warehouse.bursts.save_bursts), which scans all negative social posts.
-- feedback is not altered (it has no declared key and is rewritten by enrichment): members are
-- listed in burst_members instead.

CREATE TABLE bursts (
    burst_id           VARCHAR PRIMARY KEY,   -- 'burst-' + 12 hex digits of the sorted member ids
    first_at           TIMESTAMP NOT NULL,    -- the first member post (naive local time)
    last_at            TIMESTAMP NOT NULL,
    accounts           INTEGER NOT NULL CHECK (accounts >= 0),   -- distinct authors
    posts              INTEGER NOT NULL CHECK (posts >= 2),
    similarity         DOUBLE CHECK (similarity BETWEEN 0 AND 1), -- mean est. Jaccard to the representative
    representative_id  VARCHAR NOT NULL,      -- feedback.id of the most common wording
    representative     VARCHAR NOT NULL,      -- its text (PII-masked, normalized)
    pain_point_id      VARCHAR,               -- the pain point most member clauses carry, or NULL
    run_id             VARCHAR NOT NULL,
    detected_at        TIMESTAMP NOT NULL,
    CHECK (last_at >= first_at)
);

CREATE TABLE burst_members (
    burst_id     VARCHAR NOT NULL,   -- bursts.burst_id
    feedback_id  VARCHAR NOT NULL,   -- feedback.id
    PRIMARY KEY (burst_id, feedback_id)
);
