-- What each pain point costs a score: feedback carrying ratings (feedback.rating, 1-5 stars) or survey
-- scores (feedback.score with score_type nps 0-10 / csat 1-5), with the pain point vs without it.
-- One row per (pain point, score_kind), over all enriched feedback with that kind of score.
-- "with" = feedback with at least one clause assigned to the pain point; "without" = the rest.
-- mean_diff = mean_with - mean_without (negative: it lowers the score), diff_se its standard error
-- (Welch; NULL with fewer than 2 scores on a side), lift_if_fixed = mean_without - mean_all: how much the average would rise if the feedback
-- with it scored like the rest. nps_with / nps_without: 100 * (promoters - detractors) / responses.
CREATE OR REPLACE VIEW pain_point_drivers AS
WITH scored AS (
    SELECT id AS feedback_id, 'rating' AS score_kind, rating AS score
    FROM feedback WHERE rating IS NOT NULL AND sentiment IS NOT NULL
    UNION ALL
    SELECT id, score_type, score
    FROM feedback WHERE score IS NOT NULL AND score_type IS NOT NULL AND sentiment IS NOT NULL
),
kinds AS (
    SELECT score_kind, count(*) AS n, sum(score) AS total, sum(score * score) AS squares,
           count(*) FILTER (WHERE score >= 9) AS promoters, count(*) FILTER (WHERE score < 7) AS detractors
    FROM scored GROUP BY score_kind
),
tagged AS (
    SELECT DISTINCT feedback_id, pain_point_id FROM clauses WHERE pain_point_id IS NOT NULL
),
with_it AS (
    SELECT t.pain_point_id, s.score_kind, count(*) AS n, sum(s.score) AS total,
           sum(s.score * s.score) AS squares,
           count(*) FILTER (WHERE s.score >= 9) AS promoters, count(*) FILTER (WHERE s.score < 7) AS detractors
    FROM tagged AS t JOIN scored AS s USING (feedback_id)
    GROUP BY ALL
),
sides AS (
    SELECT w.pain_point_id, w.score_kind, k.n AS n_all, k.total / k.n AS mean_all,
           w.n AS n_with, w.total / w.n AS mean_with,
           (w.squares - w.total * w.total / w.n) / nullif(w.n - 1, 0) AS var_with,
           k.n - w.n AS n_without,
           (k.total - w.total) / nullif(k.n - w.n, 0) AS mean_without,
           ((k.squares - w.squares) - (k.total - w.total) ^ 2 / nullif(k.n - w.n, 0))
               / nullif(k.n - w.n - 1, 0) AS var_without,
           w.promoters, w.detractors, k.promoters - w.promoters AS promoters_without,
           k.detractors - w.detractors AS detractors_without
    FROM with_it AS w JOIN kinds AS k USING (score_kind)
)
SELECT
    x.pain_point_id,
    coalesce(cat.name, pp.label, x.pain_point_id)                   AS label,
    coalesce(cat.stage, pp.stage)                                   AS stage,
    coalesce(st.label, cat.stage, pp.stage)                         AS stage_label,
    x.score_kind,
    x.n_with                                                        AS docs_with,
    x.n_without                                                     AS docs_without,
    x.n_with / x.n_all                                              AS share_with,
    x.mean_with,
    x.mean_without,
    x.mean_with - x.mean_without                                    AS mean_diff,
    CASE WHEN x.n_with > 1 AND x.n_without > 1  -- a variance needs two scores on each side
         THEN sqrt(greatest(x.var_with, 0) / x.n_with + greatest(x.var_without, 0) / x.n_without) END AS diff_se,
    x.mean_all,
    x.mean_without - x.mean_all                                     AS lift_if_fixed,
    CASE WHEN x.score_kind = 'nps'
         THEN 100.0 * (x.promoters - x.detractors) / x.n_with END   AS nps_with,
    CASE WHEN x.score_kind = 'nps'
         THEN 100.0 * (x.promoters_without - x.detractors_without) / nullif(x.n_without, 0) END AS nps_without
FROM sides AS x
LEFT JOIN pain_point_catalogue AS cat ON cat.id = x.pain_point_id
LEFT JOIN pain_points AS pp ON pp.id = x.pain_point_id
LEFT JOIN stages AS st ON st.key = coalesce(cat.stage, pp.stage)
ORDER BY x.score_kind, mean_diff, x.pain_point_id;
