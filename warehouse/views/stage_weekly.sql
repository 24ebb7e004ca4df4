-- Clauses per journey stage and ISO week: how often a stage is mentioned and how negatively.
-- mentions = clauses tagged with the stage; negative_docs = feedback items with a negative clause there.
-- negative_mentions against its baseline, as in pain_point_weekly (same alert_settings, same formulas):
-- baseline_mean/sd over the baseline_weeks data weeks before, z_score with a Poisson floor,
-- trend_slope/trend_r2 over the last trend_weeks weeks, flag new / spike / growing / declining.
CREATE OR REPLACE VIEW stage_weekly AS
WITH cfg AS (FROM alert_config),  -- thresholds and the alert rule: warehouse/views/alert_config.sql
base AS (
    SELECT
        date_trunc('week', f.created_at)::DATE                          AS week,
        c.stage,
        coalesce(s.label, c.stage)                                      AS stage_label,
        s.position                                                      AS stage_position,
        count(*)                                                        AS mentions,
        count(*) FILTER (WHERE c.label = 'negative')                    AS negative_mentions,
        count(DISTINCT c.feedback_id) FILTER (WHERE c.label = 'negative') AS negative_docs,
        avg(c.sentiment)                                                AS avg_sentiment,
        count(*) FILTER (WHERE c.label = 'negative') / count(*)         AS negative_share
    FROM clauses AS c
    JOIN feedback AS f ON f.id = c.feedback_id
    LEFT JOIN stages AS s ON s.key = c.stage
    WHERE c.stage IS NOT NULL
    GROUP BY ALL
),
weeks AS (               -- weeks that have enriched data, numbered
    SELECT week, row_number() OVER (ORDER BY week) AS n
    FROM (SELECT DISTINCT date_trunc('week', created_at)::DATE AS week
          FROM feedback WHERE sentiment IS NOT NULL)
),
grid AS (                -- every stage seen x every data week, quiet weeks as 0
    SELECT k.stage, w.week, w.n, coalesce(b.negative_mentions, 0) AS volume
    FROM (SELECT DISTINCT stage FROM base) AS k CROSS JOIN weeks AS w
    LEFT JOIN base AS b ON b.stage = k.stage AND b.week = w.week
),
stats AS (
    SELECT g.stage, g.week, any_value(g.volume) AS volume,
           count(b.week) FILTER (WHERE b.n < g.n)                         AS baseline_weeks,
           avg(b.volume) FILTER (WHERE b.n < g.n)                         AS baseline_mean,
           coalesce(stddev_samp(b.volume) FILTER (WHERE b.n < g.n), 0)    AS baseline_sd,
           regr_slope(b.volume, b.n) FILTER (WHERE b.n > g.n - cfg.trend_weeks)   AS trend_slope,
           regr_r2(b.volume, b.n) FILTER (WHERE b.n > g.n - cfg.trend_weeks)      AS trend_r2,
           avg(b.volume) FILTER (WHERE b.n > g.n - cfg.trend_weeks)                AS trend_mean,
           count(b.week) FILTER (WHERE b.n > g.n - cfg.trend_weeks)                AS trend_n
    FROM grid AS g CROSS JOIN cfg
    JOIN grid AS b
      ON b.stage = g.stage AND b.n <= g.n AND b.n >= g.n - greatest(cfg.baseline_weeks, cfg.trend_weeks - 1)
    GROUP BY g.stage, g.week
),
scored AS (
    SELECT st.*,
           (st.volume - st.baseline_mean) / greatest(st.baseline_sd, sqrt(st.baseline_mean), 1) AS z_score
    FROM stats AS st
)
SELECT
    b.week,
    strftime(b.week, '%G-W%V')                                      AS iso_week,
    b.stage,
    b.stage_label,
    b.stage_position,
    b.mentions,
    b.negative_mentions,
    b.negative_docs,
    b.avg_sentiment,
    b.negative_share,
    x.baseline_weeks,
    x.baseline_mean,
    x.baseline_sd,
    x.z_score,
    x.trend_slope,
    x.trend_r2,
    alert_flag(x, cfg)                                              AS flag
FROM base AS b
CROSS JOIN cfg
JOIN scored AS x ON x.stage = b.stage AND x.week = b.week
ORDER BY b.week, b.stage_position NULLS LAST, b.stage;
