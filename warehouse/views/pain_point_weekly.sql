-- Weekly volume of each pain point (negative clauses assigned to it), its change on the week before,
-- and how it stands against its recent baseline, flagged new / spike / growing / declining.
-- A pain point gets a row for every week with enriched data from its first week on, zero-volume weeks
-- included, so growth after a quiet week shows; a pinned catalogue entry gets every week.
-- growth_ratio is NULL when the week before had 0. Names come from pain_point_catalogue.
-- Baseline: the alert_settings.baseline_weeks data weeks before this one (zeros included);
-- z_score = (volume - baseline_mean) / max(baseline_sd, sqrt(baseline_mean), 1): the Poisson floor
-- keeps a flat series' tiny SD from flagging noise. trend_slope: least-squares volume per week over
-- the last trend_weeks weeks (this one included); trend_r2 its fit. Thresholds: alert_settings.
CREATE OR REPLACE VIEW pain_point_weekly AS
WITH cfg AS (FROM alert_config),  -- thresholds and the alert rule: warehouse/views/alert_config.sql
neg AS (                 -- negative clauses with their ISO week
    SELECT c.feedback_id, c.pain_point_id, c.sentiment,
           date_trunc('week', f.created_at)::DATE AS week
    FROM clauses AS c
    JOIN feedback AS f ON f.id = c.feedback_id
    WHERE c.label = 'negative'
),
weeks AS (               -- weeks that have enriched data, numbered
    SELECT week, row_number() OVER (ORDER BY week) AS n
    FROM (SELECT DISTINCT date_trunc('week', created_at)::DATE AS week
          FROM feedback WHERE sentiment IS NOT NULL)
),
week_totals AS (         -- all negative clauses per week, the denominator of share
    SELECT week, count(*) AS negatives FROM neg GROUP BY week
),
volumes AS (
    SELECT pain_point_id, week,
           count(*) AS volume,
           count(DISTINCT feedback_id) AS docs,
           avg(sentiment) AS avg_sentiment
    FROM neg
    WHERE pain_point_id IS NOT NULL
    GROUP BY pain_point_id, week
),
points AS (              -- pain points with volume, and pinned entries without
    SELECT pain_point_id, min(week) AS first_week FROM volumes GROUP BY pain_point_id
    UNION ALL
    SELECT id, NULL FROM pain_point_catalogue
    WHERE pinned AND merged_into IS NULL AND id NOT IN (SELECT pain_point_id FROM volumes)
),
full_grid AS (           -- each pain point x every data week (the baseline needs the weeks before)
    SELECT p.pain_point_id, p.first_week, w.week, w.n,
           coalesce(v.volume, 0) AS volume, coalesce(v.docs, 0) AS docs, v.avg_sentiment
    FROM points AS p CROSS JOIN weeks AS w
    LEFT JOIN volumes AS v ON v.pain_point_id = p.pain_point_id AND v.week = w.week
),
stats AS (
    SELECT g.pain_point_id, g.week,
           count(b.week) FILTER (WHERE b.n < g.n)                         AS baseline_weeks,
           avg(b.volume) FILTER (WHERE b.n < g.n)                         AS baseline_mean,
           coalesce(stddev_samp(b.volume) FILTER (WHERE b.n < g.n), 0)    AS baseline_sd,
           regr_slope(b.volume, b.n) FILTER (WHERE b.n > g.n - cfg.trend_weeks)   AS trend_slope,
           regr_r2(b.volume, b.n) FILTER (WHERE b.n > g.n - cfg.trend_weeks)      AS trend_r2,
           avg(b.volume) FILTER (WHERE b.n > g.n - cfg.trend_weeks)                AS trend_mean,
           count(b.week) FILTER (WHERE b.n > g.n - cfg.trend_weeks)                AS trend_n
    FROM full_grid AS g CROSS JOIN cfg
    JOIN full_grid AS b
      ON b.pain_point_id = g.pain_point_id AND b.n <= g.n
     AND b.n >= g.n - greatest(cfg.baseline_weeks, cfg.trend_weeks - 1)
    GROUP BY g.pain_point_id, g.week
),
filled AS (
    SELECT g.*, coalesce(prev.volume, 0) AS prev_volume,
           s.baseline_weeks, s.baseline_mean, s.baseline_sd,
           (g.volume - s.baseline_mean) / greatest(s.baseline_sd, sqrt(s.baseline_mean), 1) AS z_score,
           s.trend_slope, s.trend_r2, s.trend_mean, s.trend_n
    FROM full_grid AS g
    JOIN stats AS s ON s.pain_point_id = g.pain_point_id AND s.week = g.week
    LEFT JOIN volumes AS prev
           ON prev.pain_point_id = g.pain_point_id AND prev.week = g.week - 7  -- DATE - 7 = a week earlier
    WHERE g.first_week IS NULL OR g.week >= g.first_week
)
SELECT
    x.week,
    strftime(x.week, '%G-W%V')                                      AS iso_week,
    x.pain_point_id,
    coalesce(cat.name, pp.label)                                    AS label,
    coalesce(cat.stage, pp.stage)                                   AS stage,
    coalesce(s.label, cat.stage, pp.stage)                          AS stage_label,
    x.volume,
    x.docs,
    x.prev_volume,
    x.volume - x.prev_volume                                        AS growth,
    (x.volume - x.prev_volume) / nullif(x.prev_volume, 0)           AS growth_ratio,
    coalesce(x.volume / nullif(t.negatives, 0), 0.0)                AS share,
    x.avg_sentiment,
    cat.status,
    cat.layer,
    coalesce(cat.pinned, false)                                     AS pinned,
    x.baseline_weeks,
    x.baseline_mean,
    x.baseline_sd,
    x.z_score,
    x.volume / nullif(x.baseline_mean, 0)                           AS baseline_ratio,
    x.trend_slope,
    x.trend_r2,
    alert_flag(x, cfg)                                              AS flag
FROM filled AS x
CROSS JOIN cfg
LEFT JOIN week_totals AS t ON t.week = x.week
LEFT JOIN pain_point_catalogue AS cat ON cat.id = x.pain_point_id
LEFT JOIN pain_points AS pp ON pp.id = x.pain_point_id
LEFT JOIN stages AS s ON s.key = coalesce(cat.stage, pp.stage)
ORDER BY x.week, x.volume DESC, x.pain_point_id;
