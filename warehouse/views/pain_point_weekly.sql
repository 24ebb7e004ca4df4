-- Weekly volume of each pain point (negative clauses assigned to it) and its change on the week before.
-- A pain point gets a row for every week with enriched data from its first week on, zero-volume weeks
-- included, so growth after a quiet week shows. growth_ratio is NULL when the week before had 0.
CREATE OR REPLACE VIEW pain_point_weekly AS
WITH neg AS (            -- negative clauses with their ISO week
    SELECT c.feedback_id, c.pain_point_id, c.sentiment,
           date_trunc('week', f.created_at)::DATE AS week
    FROM clauses AS c
    JOIN feedback AS f ON f.id = c.feedback_id
    WHERE c.label = 'negative'
),
weeks AS (               -- weeks that have enriched data
    SELECT DISTINCT date_trunc('week', created_at)::DATE AS week
    FROM feedback
    WHERE sentiment IS NOT NULL
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
grid AS (                -- each pain point x every data week since it first appeared
    SELECT p.pain_point_id, w.week
    FROM (SELECT pain_point_id, min(week) AS first_week FROM volumes GROUP BY pain_point_id) AS p
    JOIN weeks AS w ON w.week >= p.first_week
),
filled AS (
    SELECT g.pain_point_id, g.week,
           coalesce(v.volume, 0) AS volume,
           coalesce(v.docs, 0) AS docs,
           v.avg_sentiment,
           coalesce(prev.volume, 0) AS prev_volume
    FROM grid AS g
    LEFT JOIN volumes AS v ON v.pain_point_id = g.pain_point_id AND v.week = g.week
    LEFT JOIN volumes AS prev
           ON prev.pain_point_id = g.pain_point_id AND prev.week = g.week - 7  -- DATE - 7 = a week earlier
)
SELECT
    x.week,
    strftime(x.week, '%G-W%V')                                      AS iso_week,
    x.pain_point_id,
    pp.label,
    pp.stage,
    coalesce(s.label, pp.stage)                                     AS stage_label,
    x.volume,
    x.docs,
    x.prev_volume,
    x.volume - x.prev_volume                                        AS growth,
    (x.volume - x.prev_volume) / nullif(x.prev_volume, 0)           AS growth_ratio,
    coalesce(x.volume / nullif(t.negatives, 0), 0.0)                AS share,
    x.avg_sentiment
FROM filled AS x
LEFT JOIN week_totals AS t ON t.week = x.week
LEFT JOIN pain_points AS pp ON pp.id = x.pain_point_id
LEFT JOIN stages AS s ON s.key = pp.stage
ORDER BY x.week, x.volume DESC, x.pain_point_id;
