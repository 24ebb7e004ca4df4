-- 003_pain_point_catalogue: pain points with ids that survive re-runs, the (aspect, opinion) of each
-- negative clause, and the thresholds of the new / spike / growing / declining flags.
-- Released migrations are never edited: add a new numbered file instead.

-- What each negative clause complains about (voc.opinions, written by the pain-point step).
ALTER TABLE clauses ADD COLUMN aspect VARCHAR;    -- canonical aspect, e.g. 配送; NULL when none found
ALTER TABLE clauses ADD COLUMN opinion VARCHAR;   -- the complaint, e.g. 超时; NULL when none found

-- Every pain point the pipeline has named: curated entries (synced from lexicons/pain_points.yaml on
-- every run) and proposed ones (found by clustering, not covered by the file; remembered so the next
-- run matches them and their id survives). clauses.pain_point_id refers to an id here.
CREATE TABLE pain_point_catalogue (
    id           VARCHAR PRIMARY KEY,   -- stable: the YAML id, or derived from stage-aspect-opinion
    name         VARCHAR NOT NULL,      -- shown in views and the digest
    stage        VARCHAR,               -- stages.key
    layer        VARCHAR CHECK (layer IN ('functional', 'convenience', 'emotional')),
    status       VARCHAR NOT NULL CHECK (status IN ('curated', 'proposed')),
    pinned       BOOLEAN NOT NULL DEFAULT false,  -- always shown, even without volume
    merged_into  VARCHAR,               -- its clauses go to this id
    aspects      VARCHAR[],
    opinions     VARCHAR[],
    terms        VARCHAR[],             -- proposed: cluster terms it is recognised by
    first_seen   DATE,                  -- day of the earliest feedback with it (NULL: never seen)
    last_seen    DATE,                  -- day of the latest feedback with it
    first_run    VARCHAR,               -- pain-point run that first named it
    last_run     VARCHAR,               -- latest run it had clauses in
    updated_at   TIMESTAMP NOT NULL
);

-- Thresholds of the flags in pain_point_weekly and stage_weekly. Analysts change them in place:
--   UPDATE alert_settings SET value = 2.5 WHERE key = 'spike_z';
-- Views read them on every query; a run never overwrites them.
CREATE TABLE alert_settings (
    key      VARCHAR PRIMARY KEY,
    value    DOUBLE NOT NULL,
    meaning  VARCHAR NOT NULL
);
INSERT INTO alert_settings VALUES
    ('baseline_weeks', 8, 'weeks before this one that make the baseline (mean, SD)'),
    ('min_baseline_weeks', 3, 'no flag before this many baseline weeks with data'),
    ('min_volume', 5, 'no new/spike/growing flag below this weekly volume (declining: baseline mean)'),
    ('spike_z', 3, 'spike: z-score at least this; z = (volume - mean) / max(SD, sqrt(mean), 1)'),
    ('spike_ratio', 1.5, 'spike: volume at least this multiple of the baseline mean'),
    ('trend_weeks', 8, 'weeks (this one included) of the least-squares trend'),
    ('trend_slope', 0.08, 'growing/declining: weekly slope at least this share of the trend-window mean'),
    ('trend_r2', 0.5, 'growing/declining: the trend line explains at least this share of the variance');
